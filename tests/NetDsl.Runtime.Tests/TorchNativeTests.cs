using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>
/// Proves that libtorch loads on this machine (see build/NetDsl.TorchNative.targets) and computes
/// what a 2x2 convolution computes by hand.
/// </summary>
public class TorchNativeTests
{
    [Fact]
    public void Conv2dForwardAndBackwardMatchHandComputedValues()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3).requires_grad_(true);
        using var conv = nn.Conv2d(1, 1, 2);
        using (no_grad())
        {
            conv.weight!.copy_(tensor(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2));
            conv.bias!.fill_(0.5f);
        }

        var output = conv.call(input);

        // out[i,j] = sum_ab w[a,b] * x[i+a, j+b] + 0.5, e.g. 1*1 + 2*2 + 3*4 + 4*5 + 0.5 = 37.5
        output.shape.ShouldBe(new long[] { 1, 1, 2, 2 });
        output.data<float>().ToArray().ShouldBe(new[] { 37.5f, 47.5f, 67.5f, 77.5f });

        output.sum().backward();

        // d(sum)/dw[a,b] = sum of the 2x2 window of x starting at (a,b)
        conv.weight!.grad!.data<float>().ToArray().ShouldBe(new[] { 12f, 16f, 24f, 28f });
        conv.bias!.grad!.data<float>().ToArray().ShouldBe(new[] { 4f });
        // d(sum)/dx[p,q] = sum of the weights that touch x[p,q]
        input.grad!.data<float>().ToArray().ShouldBe(new[] { 1f, 3f, 2f, 4f, 10f, 6f, 3f, 7f, 4f });
    }

    [Fact]
    public void ChannelShuffleInterleavesGroups()
    {
        using var scope = NewDisposeScope();
        var input = arange(6, dtype: float32).view(1, 6, 1, 1);
        using var shuffle = new ChannelShuffle(2);
        shuffle.call(input).data<float>().ToArray().ShouldBe(new[] { 0f, 3f, 1f, 4f, 2f, 5f });
    }
}
