using NetDsl.Runtime.Composition;

namespace NetDsl.Runtime.Tests;

public class CompositionChecksTests
{
    [Fact]
    public void AConvolutionThatLeavesNoPixelsThrowsTheCheckersSpatialDiagnostic()
    {
        var shape = new FeatureShape(8, 2, 2);

        var error = Should.Throw<NetDslArgumentException>(() =>
            Layers.Conv2d(ref shape, 16, kernel: 3, stride: 2, padding: 0, dilation: 1, groups: 1, bias: false, layer: "dwconv"));

        error.Code.ShouldBe("NN0203");
        error.Message.ShouldBe("NN0203: dwconv 3x3/2 on 2x2 gives 0x0; the features are too small for this layer");
        shape.ShouldBe(new FeatureShape(8, 2, 2));
    }

    [Fact]
    public void PoolingThatLeavesNoPixelsThrowsTheCheckersSpatialDiagnostic()
    {
        var shape = new FeatureShape(8, 1, 4);

        var error = Should.Throw<NetDslArgumentException>(() => Layers.MaxPool(ref shape, kernel: 2, stride: 2, padding: 0, ceil: false));

        error.Message.ShouldBe("NN0203: maxpool 2x2/2 on 1x4 gives 0x2; the features are too small for this layer");
    }

    [Theory]
    [InlineData(0, "NN0201: channel count 0 must be positive")]
    [InlineData(1_000_001, "NN0304: 1000001 channels is above the limit of 1,000,000")]
    public void WithinNamesTheBoundThatIsBroken(long value, string message)
    {
        var error = Should.Throw<NetDslArgumentException>(() => Require.Within(value, 1, 1_000_000,
            "NN0201", "channel count {0} must be positive", "NN0304", "{0} channels is above the limit of 1,000,000"));

        error.Message.ShouldBe(message);
    }

    [Fact]
    public void WithinReturnsAValueInRange() =>
        Require.Within(64, 1, 1_000_000, "NN0201", "{0}", "NN0304", "{0}").ShouldBe(64);
}
