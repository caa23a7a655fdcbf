using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.HandWritten;

/// <summary>torchvision's <c>Conv2dNormActivation</c>: conv (no bias), batch norm, in-place activation, as one
/// <c>nn.Sequential</c> (children "0", "1", "2").</summary>
internal static class ConvNormActivation
{
    public static nn.Module<Tensor, Tensor> Create(long inChannels, long outChannels, long kernelSize = 3, long stride = 1,
        long groups = 1, Func<nn.Module<Tensor, Tensor>>? activation = null)
    {
        var padding = (kernelSize - 1) / 2;
        var conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, groups: groups, bias: false);
        var norm = nn.BatchNorm2d(outChannels);
        return activation is null ? nn.Sequential(conv, norm) : nn.Sequential(conv, norm, activation());
    }

    /// <summary>torchvision's <c>_make_divisible</c>: round to a multiple of <paramref name="divisor"/>, never losing
    /// more than 10 %.</summary>
    public static long MakeDivisible(double value, long divisor)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
