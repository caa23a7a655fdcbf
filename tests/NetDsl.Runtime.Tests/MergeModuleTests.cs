using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>FeatureSum, FeatureConcat, WeightedFusion and Upsample.</summary>
public class MergeModuleTests
{
    [Fact]
    public void FeatureSum_adds_every_feature()
    {
        using var scope = NewDisposeScope();
        using var sum = new FeatureSum(3);
        var (a, b, c) = (tensor(new float[] { 1, 2 }).view(1, 2, 1, 1), tensor(new float[] { 10, 20 }).view(1, 2, 1, 1),
            tensor(new float[] { 100, 200 }).view(1, 2, 1, 1));

        sum.call([a, b, c]).Values().ShouldBe([111f, 222f]);
        a.Values().ShouldBe([1f, 2f]);   // added into a new tensor, not into an input
        sum.parameters().ShouldBeEmpty();
    }

    [Fact]
    public void FeatureSum_names_the_shapes_that_differ_and_checks_the_count()
    {
        using var scope = NewDisposeScope();
        using var sum = new FeatureSum(2);

        Should.Throw<ArgumentException>(() => sum.call([ones(1, 2, 4, 4), ones(1, 2, 2, 2)])).Message.ShouldBe(
            "feature sum: every feature must have the same shape, but got input 1 [1, 2, 4, 4], input 2 [1, 2, 2, 2]");
        Should.Throw<ArgumentException>(() => sum.call([ones(1)])).Message.ShouldStartWith("feature sum of 2 features got 1");
        Should.Throw<ArgumentOutOfRangeException>(() => new FeatureSum(1));
    }

    [Fact]
    public void FeatureConcat_joins_on_channels_in_order()
    {
        using var scope = NewDisposeScope();
        using var concat = new FeatureConcat(2);
        var a = tensor(new float[] { 1, 2 }).view(1, 2, 1, 1);
        var b = tensor(new float[] { 3 }).view(1, 1, 1, 1);

        concat.call([a, b]).Values().ShouldBe([1f, 2f, 3f]);
        Should.Throw<ArgumentException>(() => concat.call([ones(1, 2, 4, 4), ones(1, 2, 2, 2)])).Message.ShouldBe(
            "feature concat: cannot concatenate on channels because the shapes differ outside dimension 1: " +
            "input 1 [1, 2, 4, 4], input 2 [1, 2, 2, 2]");
    }

    [Fact]
    public void WeightedFusion_starts_as_an_average_with_one_weight_per_input()
    {
        using var scope = NewDisposeScope();
        using var fusion = new WeightedFusion(2);
        var (a, b) = (full(1, 1, 1, 1, 2f), full(1, 1, 1, 1, 4f));

        fusion.state_dict().Keys.ShouldBe(["weight"]);
        fusion.Weight.Values().ShouldBe([1f, 1f]);
        fusion.call([a, b]).item<float>().ShouldBe(6f / (2 + 1e-4f), 1e-6f);
        fusion.Epsilon.ShouldBe(1e-4);
    }

    [Fact]
    public void WeightedFusion_matches_the_hand_computation_and_its_gradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        const double epsilon = 1e-3;
        using var fusion = new WeightedFusion(3, epsilon);
        fusion.Weight.Fill(2f, -1f, 0.5f);
        var inputs = new[] { randn(2, 3, 4, 4), randn(2, 3, 4, 4), randn(2, 3, 4, 4) };

        var output = fusion.call(inputs);
        output.sum().backward();

        // w = relu([2, -1, 0.5]) = [2, 0, 0.5]; out = (2·x1 + 0.5·x3) / (ε + 2.5)
        var w = new[] { 2.0, 0.0, 0.5 };
        var denominator = epsilon + w.Sum();
        var expected = (inputs[0].to(ScalarType.Float64) * 2 + inputs[2].to(ScalarType.Float64) * 0.5) / denominator;
        output.to(ScalarType.Float64).allclose(expected, rtol: 1e-6, atol: 1e-6).ShouldBeTrue();

        // d(Σ out)/d weight_k = S_k / D − Σᵢ wᵢ·Sᵢ / D² for a positive weight (S_k = Σ x_k), 0 where the ReLU cut it off.
        var sums = inputs.Select(x => x.to(ScalarType.Float64).sum().item<double>()).ToArray();
        var weighted = w.Zip(sums, (wi, si) => wi * si).Sum();
        var gradient = fusion.Weight.grad!.to(ScalarType.Float64).data<double>().ToArray();
        gradient[0].ShouldBe(sums[0] / denominator - weighted / (denominator * denominator), 1e-4);
        gradient[1].ShouldBe(0.0);
        gradient[2].ShouldBe(sums[2] / denominator - weighted / (denominator * denominator), 1e-4);
    }

    [Fact]
    public void WeightedFusion_checks_its_arguments()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new WeightedFusion(1));
        Should.Throw<ArgumentOutOfRangeException>(() => new WeightedFusion(2, 0));
        using var scope = NewDisposeScope();
        using var fusion = new WeightedFusion(2);
        Should.Throw<ArgumentException>(() => fusion.call([ones(1, 1, 2, 2), ones(1, 1, 1, 1)])).Message
            .ShouldStartWith("weighted fusion: every feature must have the same shape");
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Upsample_is_F_interpolate_by_an_integer_factor(long scale, bool bilinear)
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var upsample = new Upsample(scale, bilinear);
        var input = randn(2, 3, 3, 5);

        var output = upsample.call(input);

        output.shape.ShouldBe([2, 3, 3 * scale, 5 * scale]);
        var expected = nn.functional.interpolate(input, scale_factor: [scale, scale],
            mode: bilinear ? InterpolationMode.Bilinear : InterpolationMode.Nearest, align_corners: bilinear ? false : null);
        output.ShouldEqualExactly(expected);
    }

    [Fact]
    public void Nearest_upsampling_repeats_each_pixel()
    {
        using var scope = NewDisposeScope();
        using var upsample = new Upsample(2, bilinear: false);

        upsample.call(tensor(new float[] { 1, 2 }).view(1, 1, 1, 2)).Values().ShouldBe([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f]);
        Should.Throw<ArgumentOutOfRangeException>(() => new Upsample(0, bilinear: false));
    }
}
