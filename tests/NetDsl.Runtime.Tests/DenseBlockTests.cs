using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class DenseBlockTests
{
    [Fact]
    public void EachLayerSeesEverythingBeforeIt()
    {
        using var scope = NewDisposeScope();
        // Identity layers make the concatenations visible: layer1 returns x, layer2 returns cat(x, x).
        using var dense = new DenseBlock(nn.Identity(), nn.Identity());
        var input = tensor(new float[] { 1, 2 }).view(1, 2, 1, 1);

        var output = dense.call(input);

        // cat(x, x, cat(x, x))
        output.Values().ShouldBe(new[] { 1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f });
    }

    [Fact]
    public void ChannelsGrowByTheGrowthRatePerLayer()
    {
        using var scope = NewDisposeScope();
        const long input = 16, growth = 12, layers = 4;
        var layerList = Enumerable.Range(0, (int)layers)
            .Select(i => (nn.Module<Tensor, Tensor>)DenseLayer(input + i * growth, growth))
            .ToArray();
        using var dense = new DenseBlock(layerList);

        dense.call(randn(2, input, 8, 8)).shape.ShouldBe(new long[] { 2, input + layers * growth, 8, 8 });
        dense.LayerCount.ShouldBe(4);
        dense.ChildNames().ShouldBe(new[] { "layer1", "layer2", "layer3", "layer4" });
    }

    [Fact]
    public void GradientsReachEveryLayer()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var dense = new DenseBlock(nn.Conv2d(3, 2, 3, padding: 1), nn.Conv2d(5, 2, 3, padding: 1), nn.Conv2d(7, 2, 1));
        dense.ShouldPassGradientsToEveryParameter(randn(2, 3, 4, 4));
    }

    [Fact]
    public void WithoutLayersIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        using var dense = new DenseBlock();
        var input = randn(1, 3, 2, 2);
        dense.call(input).Values().ShouldBe(input.Values());
    }

    [Fact]
    public void NeverDisposesTheInput()
    {
        using var scope = NewDisposeScope();
        using var dense = new DenseBlock(new ReturnsInput(), new ReturnsInput());
        var input = ones(1, 1, 1, 1);

        dense.call(input).Values().ShouldBe(new[] { 1f, 1f, 1f, 1f }); // cat(x, x, cat(x, x))

        input.Values().ShouldBe(new[] { 1f });
    }

    [Fact]
    public void ALayerThatChangesTheSpatialSizeIsNamed()
    {
        using var scope = NewDisposeScope();
        using var dense = new DenseBlock(nn.Conv2d(2, 2, 1), nn.Conv2d(4, 2, 1, stride: 2));

        Should.Throw<ArgumentException>(() => dense.call(randn(1, 2, 4, 4))).Message.ShouldBe(
            "dense block: cannot concatenate on channels because the shapes differ outside dimension 1: " +
            "input [1, 2, 4, 4], layer1 [1, 2, 4, 4], layer2 [1, 2, 2, 2]");
    }

    // DenseNet's bottleneck layer: BN-ReLU-Conv1x1(4k)-BN-ReLU-Conv3x3(k).
    private static nn.Module<Tensor, Tensor> DenseLayer(long inChannels, long growth) =>
        nn.Sequential(
            nn.BatchNorm2d(inChannels), nn.ReLU(), nn.Conv2d(inChannels, 4 * growth, 1, bias: false),
            nn.BatchNorm2d(4 * growth), nn.ReLU(), nn.Conv2d(4 * growth, growth, 3, padding: 1, bias: false));
}
