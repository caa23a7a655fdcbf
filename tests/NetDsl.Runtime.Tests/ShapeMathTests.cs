namespace NetDsl.Runtime.Tests;

public class ShapeMathTests
{
    [Theory]
    [InlineData(224, 3, 2, 1, 1, 112)] // ResNet/MobileNet stem
    [InlineData(224, 7, 2, 3, 1, 112)] // ResNet 7x7 stem
    [InlineData(56, 3, 1, 1, 1, 56)]
    [InlineData(56, 1, 2, 0, 1, 28)]   // projection shortcut
    [InlineData(7, 3, 2, 1, 1, 4)]
    [InlineData(32, 3, 1, 2, 2, 32)]   // dilated 3x3 with padding 2 keeps the size
    [InlineData(10, 5, 2, 0, 3, -1)]   // dilated kernel spans 13 > 10: ⌊−3 / 2⌋ + 1 = −1 (floored, not truncated)
    public void ConvOutputIsPyTorchsFormula(long size, long k, long s, long p, long d, long expected)
    {
        ShapeMath.ConvOutput(size, k, s, p, d).ShouldBe(expected);
    }

    [Theory]
    [InlineData(112, 3, 2, 1, false, 56)] // ResNet max-pool
    [InlineData(55, 3, 2, 0, true, 27)]   // SqueezeNet max-pool
    [InlineData(112, 3, 2, 0, true, 56)]  // GoogLeNet max-pool
    [InlineData(112, 3, 2, 0, false, 55)]
    [InlineData(56, 2, 2, 0, false, 28)]  // DenseNet transition
    [InlineData(14, 3, 2, 0, true, 7)]    // GoogLeNet: 14 → 7 with ceil
    [InlineData(5, 2, 2, 1, true, 3)]     // ceil: windows start at -1, 1, 3
    [InlineData(4, 2, 2, 1, true, 3)]     // ceil would give a 4th window starting at 5 ≥ 4 + 1: dropped
    public void PoolOutputIsPyTorchsRuleIncludingCeilMode(long size, long k, long s, long p, bool ceil, long expected)
    {
        ShapeMath.PoolOutput(size, k, s, p, ceil).ShouldBe(expected);
    }

    [Theory]
    [InlineData(16.0, 8, 16)]      // 32 · 0.5
    [InlineData(18.0, 8, 24)]      // 24 · 0.75: 16 would be below 0.9 · 18 = 16.2
    [InlineData(12.0, 8, 16)]      // 24 · 0.5: 12 + 4 = 16
    [InlineData(8.0, 8, 8)]
    [InlineData(3.0, 8, 8)]        // never below the divisor
    [InlineData(30.0, 8, 32)]      // MobileNetV3's SE squeeze for 120 channels: 120 // 4 = 30
    [InlineData(60.0, 8, 64)]      // MobileNetV3's SE squeeze for 240 channels: 240 // 4 = 60
    [InlineData(1280.0, 8, 1280)]
    [InlineData(320.0, 8, 320)]    // 1280 · 0.25
    [InlineData(11.2, 8, 16)]      // 16 · 0.7: 15.2 // 8 · 8 = 8 < 10.08, so 16
    [InlineData(7.5, 3, 9)]        // odd divisor: int(7.5 + 1.5) = 9
    public void DivisibleIsTorchvisionsMakeDivisible(double value, long divisor, long expected)
    {
        ShapeMath.Divisible(value, divisor).ShouldBe(expected);
    }

    [Fact]
    public void DivisibleRespectsTheMinimum()
    {
        ShapeMath.Divisible(3.0, 8, minValue: 16).ShouldBe(16);
        ShapeMath.Divisible(3.0, 8, minValue: 0).ShouldBe(0 + 8); // 0 < 2.7, so one divisor is added
    }

    [Fact]
    public void MobileNetV2HalfWidthChannels()
    {
        // torchvision mobilenet_v2(width_mult=0.5): stem, then the seven stages' output channels.
        var channels = new[] { 32, 16, 24, 32, 64, 96, 160, 320 }.Select(c => ShapeMath.Divisible(c * 0.5, 8));
        channels.ShouldBe(new long[] { 16, 8, 16, 16, 32, 48, 80, 160 });
    }

    [Fact]
    public void RejectsInvalidArguments()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.ConvOutput(8, 3, 0, 1)).ParamName.ShouldBe("stride");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.ConvOutput(8, 0, 1, 1)).ParamName.ShouldBe("kernel");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.ConvOutput(8, 3, 1, -1)).ParamName.ShouldBe("padding");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.ConvOutput(8, 3, 1, 1, 0)).ParamName.ShouldBe("dilation");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.PoolOutput(8, 3, 2, 2, false)).Message
            .ShouldStartWith("pooling padding must be at most half the kernel size (3 / 2 = 1)");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.Divisible(-1, 8)).ParamName.ShouldBe("value");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.Divisible(double.NaN, 8)).ParamName.ShouldBe("value");
        Should.Throw<ArgumentOutOfRangeException>(() => ShapeMath.Divisible(16, 0)).ParamName.ShouldBe("divisor");
    }
}
