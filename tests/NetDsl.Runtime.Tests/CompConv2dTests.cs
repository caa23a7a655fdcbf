using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class CompConv2dTests
{
    // P and the parameter count straight from the definition, independent of the implementation.
    private static long P(long outChannels, long depth) =>
        depth == 0 ? outChannels : (long)Math.Ceiling(outChannels / (2.0 * (Math.Pow(2, depth) - 1)));

    private static long FormulaParameters(long inChannels, long outChannels, long k, long depth)
    {
        var p = P(outChannels, depth);
        return k * k * (inChannels * p + p * p * ((long)Math.Pow(4, depth) - 1) / 3);
    }

    [Theory]
    [InlineData(64, 64, 3, 0)]
    [InlineData(64, 64, 3, 1)]
    [InlineData(64, 64, 3, 2)]
    [InlineData(64, 64, 3, 3)]
    [InlineData(64, 100, 3, 0)]
    [InlineData(64, 100, 3, 1)]
    [InlineData(64, 100, 3, 2)]
    [InlineData(64, 100, 3, 3)]
    [InlineData(3, 10, 5, 2)]
    [InlineData(256, 128, 1, 2)]
    [InlineData(512, 512, 3, 3)]
    public void ParameterCountMatchesTheFormula(long inChannels, long outChannels, long k, long depth)
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(inChannels, outChannels, k, depth: depth);
        conv.ParameterCount().ShouldBe(FormulaParameters(inChannels, outChannels, k, depth));
    }

    [Fact]
    public void ParameterCountOfAnUnevenSplitIsKnownByHand()
    {
        using var scope = NewDisposeScope();
        // in 64, out 100, d 3: P = ceil(100 / 14) = 8; 9 · (64·8 + 64·21) = 16,704.
        using var conv = new CompConv2d(64, 100, 3, depth: 3);
        conv.SeedChannels.ShouldBe(8);
        conv.ComputedChannels.ShouldBe(112);
        conv.ParameterCount().ShouldBe(16_704);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void OutputIsOutChannelsAtTheStridedSize(long depth, long stride)
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(24, 100, 3, stride, depth);
        conv.call(randn(2, 24, 8, 8)).shape.ShouldBe(new long[] { 2, 100, 8 / stride, 8 / stride });
    }

    [Fact]
    public void SubModulesAreSeedExpansionsAndShuffle()
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(16, 50, 3, depth: 3); // P = ceil(50 / 14) = 4
        conv.ChildNames().ShouldBe(new[] { "seed", "expand1", "expand2", "expand3", "shuffle" });
        var state = conv.state_dict();
        state.Keys.ShouldBe(new[] { "seed.weight", "expand1.weight", "expand2.weight", "expand3.weight" });
        state["seed.weight"].shape.ShouldBe(new long[] { 4, 16, 3, 3 });
        state["expand1.weight"].shape.ShouldBe(new long[] { 4, 4, 3, 3 });
        state["expand2.weight"].shape.ShouldBe(new long[] { 8, 8, 3, 3 });
        state["expand3.weight"].shape.ShouldBe(new long[] { 16, 16, 3, 3 });
    }

    [Fact]
    public void DepthZeroIsAPlainConvolution()
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(16, 32, 3, stride: 2, depth: 0);
        conv.ChildNames().ShouldBe(new[] { "seed" });
        conv.SeedChannels.ShouldBe(32);
        conv.state_dict()["seed.weight"].shape.ShouldBe(new long[] { 32, 16, 3, 3 });
        conv.call(randn(1, 16, 9, 9)).shape.ShouldBe(new long[] { 1, 32, 5, 5 });
    }

    [Fact]
    public void DepthOneIsSeedThenItsExpansion()
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(1, 2, 1, depth: 1); // P = 1
        conv.get_parameter("seed.weight")!.Fill(2f);
        conv.get_parameter("expand1.weight")!.Fill(3f);

        // s = 2x, t1 = 3s = 6x, unit1 = [2x, 6x]; shuffling two channels in two groups keeps the order.
        conv.call(full(1, 1, 1, 1, 5f)).Values().ShouldBe(new[] { 10f, 30f });
    }

    [Theory]
    [InlineData(6, new[] { 2f, 6f, 6f, 8f, 2f, 6f })]
    [InlineData(5, new[] { 2f, 6f, 6f, 8f, 2f })]
    public void DepthTwoConcatenatesUnitsShufflesAndTrimsFromTheEnd(long outChannels, float[] expected)
    {
        using var scope = NewDisposeScope();
        using var conv = new CompConv2d(1, outChannels, 1, depth: 2); // P = 1 for 5 and 6 outputs
        conv.get_parameter("seed.weight")!.Fill(2f);
        conv.get_parameter("expand1.weight")!.Fill(3f);
        conv.get_parameter("expand2.weight")!.Fill(1f, 1f, 0f, 1f); // t2 = [u0 + u1, u1]

        var output = conv.call(ones(1, 1, 1, 1));

        // s = 2, t1 = 6, unit1 = [2, 6]; t2 = [8, 6], unit2 = [2, 6, 8, 6];
        // cat(unit1, unit2) = [2, 6, 2, 6, 8, 6]; shuffle(2) = [2, 6, 6, 8, 2, 6]; keep the first `out`.
        output.Values().ShouldBe(expected);
    }

    [Fact]
    public void GradientsReachSeedAndEveryExpansion()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var conv = new CompConv2d(8, 20, 3, stride: 2, depth: 3);
        conv.ShouldPassGradientsToEveryParameter(randn(2, 8, 6, 6));
    }

    [Fact]
    public void DepthThreeCostsAboutAFifthOfThePlainConvolution()
    {
        using var scope = NewDisposeScope();
        // MACs per output pixel equal the parameter count for both (every conv runs at the output size).
        var plain = 3L * 3 * 512 * 512;
        var ratio = FormulaParameters(512, 512, 3, 3) / (double)plain;
        ratio.ShouldBeInRange(0.15, 0.22); // 47,693 / 262,144 ≈ 0.182
        using var conv = new CompConv2d(512, 512, 3, depth: 3);
        (conv.ParameterCount() / (double)plain).ShouldBe(ratio);
    }

    [Theory]
    [InlineData(64, 128, 1)]
    [InlineData(128, 128, 1)]
    [InlineData(255, 128, 1)]
    [InlineData(256, 128, 2)]
    [InlineData(511, 128, 2)]
    [InlineData(512, 128, 3)]
    [InlineData(2048, 128, 3)]
    [InlineData(3, 128, 1)]
    [InlineData(96, 32, 2)]
    public void AdaptiveDepthFollowsThePaper(long inChannels, long c0, long expected)
    {
        CompConv2d.AdaptiveDepth(inChannels, c0).ShouldBe(expected);
        var reference = Math.Min(Math.Floor(Math.Log2(Math.Max(1, inChannels / (double)c0))) + 1, 3);
        expected.ShouldBe((long)reference);
    }

    [Fact]
    public void WithoutADepthUsesCompConv128()
    {
        using var scope = NewDisposeScope();
        using var small = new CompConv2d(64, 64, 3);
        using var wide = new CompConv2d(256, 64, 3);
        small.Depth.ShouldBe(1);
        wide.Depth.ShouldBe(2);
    }

    [Theory]
    [InlineData(100, 3, 8)]
    [InlineData(100, 2, 17)]
    [InlineData(100, 1, 50)]
    [InlineData(100, 0, 100)]
    [InlineData(512, 3, 37)]
    [InlineData(1, 3, 1)]
    public void UnitChannelsIsTheCeilingOfOutOverTwoTimesTwoToTheDMinusOne(long outChannels, long depth, long expected)
    {
        CompConv2d.UnitChannels(outChannels, depth).ShouldBe(expected);
    }

    [Fact]
    public void RejectsInvalidArguments()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(0, 8, 3)).ParamName.ShouldBe("inChannels");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 0, 3)).ParamName.ShouldBe("outChannels");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 8, 2)).Message
            .ShouldStartWith("compconv's kernel size must be odd and at least 1");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 8, 0)).ParamName.ShouldBe("kernelSize");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 8, 3, stride: 0)).ParamName.ShouldBe("stride");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 8, 3, depth: 4)).Message
            .ShouldStartWith("compconv's depth must be between 0 and 3");
        Should.Throw<ArgumentOutOfRangeException>(() => new CompConv2d(8, 8, 3, depth: -1)).ParamName.ShouldBe("depth");
        Should.Throw<ArgumentOutOfRangeException>(() => CompConv2d.AdaptiveDepth(64, 0)).ParamName.ShouldBe("c0");
        Should.Throw<ArgumentOutOfRangeException>(() => CompConv2d.UnitChannels(0, 2)).ParamName.ShouldBe("outChannels");
    }
}
