using NetDsl.Costs;

namespace NetDsl.Language.Tests.Costs;

/// <summary>The per-layer formulas, each checked against a figure computed by hand in the comment.</summary>
public class CostModelTests
{
    [Fact]
    public void Convolution_counts_weights_bias_and_macs_per_output_pixel()
    {
        // 64 x (32/1) x 3 x 3 = 18,432 weights + 64 bias; MACs 18,432 x 16 x 16 = 4,718,592
        CostModel.Convolution(32, 64, 3, 1, true, 16, 16).ShouldBe(new LayerCost(18_496, 4_718_592));
        // grouped: 64 x (32/4) x 3 x 3 = 4,608 weights, no bias; MACs 4,608 x 8 x 8 = 294,912
        CostModel.Convolution(32, 64, 3, 4, false, 8, 8).ShouldBe(new LayerCost(4_608, 294_912));
    }

    [Fact]
    public void Linear_and_batch_norm()
    {
        CostModel.Linear(1280, 1000, true).ShouldBe(new LayerCost(1_281_000, 1_280_000));
        CostModel.BatchNorm(96).ShouldBe(new LayerCost(192, 0));
    }

    [Fact]
    public void Squeeze_excite_runs_its_convolutions_at_one_by_one()
    {
        // C = 64, S = 4: 2*64*4 + 4 + 64 = 580 parameters, 2*64*4 = 512 MACs
        CostModel.SqueezeExcite(64, 4).ShouldBe(new LayerCost(580, 512));
    }

    [Fact]
    public void CompConv_follows_the_reference_formula()
    {
        // in = out = 512, d = 3: P = ceil(512 / 14) = 37; 9 * (512*37 + 37*37*21) = 9 * (18,944 + 28,749) = 429,237
        CostModel.CompConvUnit(512, 3).ShouldBe(37);
        CostModel.CompConv(512, 512, 3, 3, 1, 1).ShouldBe(new LayerCost(429_237, 429_237));
        // about 18 % of the plain 3x3 convolution (512*512*9 = 2,359,296)
        (429_237.0 / 2_359_296).ShouldBe(0.18, 0.01);
        // d = 0 is a plain conv without bias
        CostModel.CompConv(16, 32, 3, 0, 4, 4).ShouldBe(new LayerCost(4_608, 73_728));
    }

    [Theory]
    [InlineData(64, 128, 1)]   // in / c0 = 0.5 -> max(1, .) = 1 -> log2 = 0 -> d = 1
    [InlineData(256, 128, 2)]  // 2 -> 1 -> 2
    [InlineData(512, 128, 3)]  // 4 -> 2 -> 3
    [InlineData(4096, 128, 3)] // 32 -> 5 -> min(6, 3)
    public void CompConv_adaptive_depth(long inChannels, long c0, int depth) =>
        CostModel.CompConvDepth(inChannels, c0).ShouldBe(depth);

    [Fact]
    public void Size_is_four_bytes_per_parameter_in_mebibytes() =>
        CostModel.SizeMiB(3_504_872).ShouldBe(13.37, 0.005);
}
