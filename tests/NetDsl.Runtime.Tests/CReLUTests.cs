using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class CReLUTests
{
    [Fact]
    public void ConcatenatesReluOfXAndOfMinusX()
    {
        using var scope = NewDisposeScope();
        using var crelu = new CReLU();
        var input = tensor(new float[] { 1, -2 }).view(1, 2, 1, 1);

        var output = crelu.call(input);

        // cat([1, -2], [-1, 2]) = [1, -2, -1, 2], relu → [1, 0, 0, 2]
        output.shape.ShouldBe(new long[] { 1, 4, 1, 1 });
        output.Values().ShouldBe(new[] { 1f, 0f, 0f, 2f });
    }

    [Fact]
    public void DoublesTheChannels()
    {
        using var scope = NewDisposeScope();
        using var crelu = new CReLU();
        crelu.call(randn(2, 3, 5, 5)).shape.ShouldBe(new long[] { 2, 6, 5, 5 });
    }

    [Fact]
    public void GradientIsTheSignOfTheInput()
    {
        using var scope = NewDisposeScope();
        using var crelu = new CReLU();
        var input = tensor(new float[] { 1, -2 }).view(1, 2, 1, 1).requires_grad_(true);

        crelu.call(input).sum().backward();

        // d/dx (relu(x) + relu(-x)) = 1 for x > 0 and -1 for x < 0
        input.grad!.Values().ShouldBe(new[] { 1f, -1f });
        crelu.parameters().ShouldBeEmpty();
    }
}
