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
    [InlineData(0, null, "NN0201: channel count 0 must be positive")]
    [InlineData(-3, "planes", "NN0201: channel count planes = -3 must be positive")]
    [InlineData(1_000_001, "planes", "NN0304: 1000001 channels is above the limit of 1,000,000")]
    public void AChannelCountNamesTheBoundItBreaks(long count, string? name, string message) =>
        Should.Throw<NetDslArgumentException>(() => Require.ChannelCount(count, name)).Message.ShouldBe(message);

    [Theory]
    [InlineData(2.5, "NN0200: channel count width = 2.5 is not a whole number; use div, round(), floor() or divisible()")]
    [InlineData(0.0, "NN0201: channel count width = 0.0 must be positive")]
    public void AFloatChannelCountMustBeWholeAndPositive(double count, string message) =>
        Should.Throw<NetDslArgumentException>(() => Require.ChannelCount(count, "width")).Message.ShouldBe(message);

    [Fact]
    public void AValidCountIsReturned()
    {
        Require.ChannelCount(64).ShouldBe(64);
        Require.ChannelCount(64.0).ShouldBe(64);
        Require.RepeatCount(0).ShouldBe(0);
        Require.WholeNumber(3.0, "k of conv").ShouldBe(3);
    }

    [Theory]
    [InlineData(-1, "NN0215: repeat count -1 must not be negative")]
    [InlineData(10_001, "NN0300: repeat count 10001 is above the limit of 10,000")]
    public void ARepeatCountNamesTheBoundItBreaks(long count, string message) =>
        Should.Throw<NetDslArgumentException>(() => Require.RepeatCount(count)).Message.ShouldBe(message);

    [Fact]
    public void ARangeOfMoreThan10000ItemsIsTooLong()
    {
        Require.RangeLength(5, 1);
        Require.RangeLength(1, 10_000);
        Should.Throw<NetDslArgumentException>(() => Require.RangeLength(0, 10_000)).Message
            .ShouldBe("NN0300: for count 10001 is above the limit of 10,000");
    }

    [Fact]
    public void ASplitReturnsThePartOfEachPathOrSaysItIsNotEven()
    {
        Require.EvenSplit(new FeatureShape(8, 4, 4), 2).ShouldBe(new FeatureShape(4, 4, 4));
        Should.Throw<NetDslArgumentException>(() => Require.EvenSplit(new FeatureShape(4, 4, 4), 3)).Message
            .ShouldBe("NN0207: split of 4 channels into 3 paths is not even; 4 / 3 = 1.333");
    }

    [Fact]
    public void AddedPathsMustHaveOneShape() =>
        Should.Throw<NetDslArgumentException>(() => Require.SameShapes([new(4, 8, 8), new(4, 8, 8), new(8, 8, 8)])).Message
            .ShouldBe("NN0205: add of paths with shapes 4x8x8 and 8x8x8: path 3 differs from path 1");

    [Fact]
    public void AConvolutionsGroupsMustDivideItsOutputChannels()
    {
        var shape = new FeatureShape(4, 8, 8);

        Should.Throw<NetDslArgumentException>(() =>
                Layers.Conv2d(ref shape, 6, kernel: 1, stride: 1, padding: 0, dilation: 1, groups: 4, bias: false)).Message
            .ShouldBe("NN0202: groups 4 does not divide the 6 output channels of conv");
    }
}
