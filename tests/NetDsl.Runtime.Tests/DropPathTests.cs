using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class DropPathTests
{
    [Fact]
    public void IsTheIdentityInEvaluationMode()
    {
        using var scope = NewDisposeScope();
        using var drop = new DropPath(0.5);
        drop.eval();
        var input = randn(8, 3, 2, 2);

        var output = drop.call(input);

        output.Values().ShouldBe(input.Values());
        output.ShouldNotBeSameAs(input);
    }

    [Fact]
    public void IsTheIdentityInTrainingWhenProbabilityIsZero()
    {
        using var scope = NewDisposeScope();
        using var drop = new DropPath(0);
        drop.train();
        var input = randn(8, 3, 2, 2);

        drop.call(input).Values().ShouldBe(input.Values());
    }

    [Fact]
    public void InTrainingDropsWholeSamplesAndKeepsTheMean()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        const double p = 0.3;
        const int samples = 10_000;
        using var drop = new DropPath(p);
        drop.train();

        var output = drop.call(ones(samples, 4, 2, 2));

        // Each sample is either all zero or all 1 / (1 - p): the row mode drops whole samples.
        var perSample = output.view(samples, -1);
        var minimum = perSample.min(1).values.Values();
        var maximum = perSample.max(1).values.Values();
        minimum.ShouldBe(maximum);
        var kept = (float)(1 / (1 - p));
        minimum.ShouldAllBe(v => v == 0f || Math.Abs(v - kept) < 1e-5f);
        // With 10,000 samples the standard error of the mean is sqrt(p / (1 - p) / 10000) ≈ 0.0065.
        var droppedFraction = minimum.Count(v => v == 0f) / (double)samples;
        droppedFraction.ShouldBe(p, tolerance: 0.03);
        output.mean().item<float>().ShouldBe(1f, tolerance: 0.03f);
    }

    [Fact]
    public void GradientFlowsOnlyThroughKeptSamples()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var drop = new DropPath(0.5);
        drop.train();
        var input = ones(64, 2, 1, 1).requires_grad_(true);

        var output = drop.call(input);
        output.sum().backward();

        // The gradient of each value is its sample's mask: 0 (dropped) or 1 / (1 - p) = 2 (kept).
        input.grad!.Values().ShouldBe(output.detach().Values());
        input.grad!.Values().ShouldContain(0f);
        input.grad!.Values().ShouldContain(2f);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void RejectsProbabilitiesOutsideZeroToOne(double p)
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => new DropPath(p));
        error.ParamName.ShouldBe("probability");
        error.Message.ShouldContain("drop-path probability must be at least 0 and below 1");
    }
}
