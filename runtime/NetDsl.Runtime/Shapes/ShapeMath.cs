namespace NetDsl.Runtime;

/// <summary>
/// The size arithmetic of PyTorch's layers and torchvision's channel rounding. Generated code calls these
/// where a size depends on a constructor argument; the NetDsl language library has its own copies with
/// the same definitions, so the formulas here are the contract and are stated exactly.
/// </summary>
public static class ShapeMath
{
    /// <summary>
    /// The output size of a convolution along one spatial dimension (PyTorch's <c>Conv2d</c>):
    /// ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
    /// </summary>
    /// <remarks>E.g. size 224, kernel 3, stride 2, padding 1 → 112. The division is floored; a result below 1
    /// means the (dilated) kernel does not fit in the padded input, which PyTorch rejects at run time.</remarks>
    /// <param name="size">Input size along the dimension, at least 0.</param>
    /// <param name="kernel">Kernel size, at least 1.</param>
    /// <param name="stride">Stride, at least 1.</param>
    /// <param name="padding">Padding on each side, at least 0.</param>
    /// <param name="dilation">Dilation, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static long ConvOutput(long size, long kernel, long stride, long padding, long dilation = 1)
    {
        CheckWindow(size, kernel, stride, padding);
        if (dilation < 1)
            throw new ArgumentOutOfRangeException(nameof(dilation), dilation, "dilation must be at least 1");
        return FloorDiv(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /// <summary>
    /// The output size of max or average pooling along one spatial dimension (PyTorch's
    /// <c>pooling_output_shape</c>, dilation 1). Floor mode: ⌊(size + 2·padding − kernel) / stride⌋ + 1.
    /// Ceil mode: ⌈(size + 2·padding − kernel) / stride⌉ + 1, minus one if the last window would start
    /// beyond the input and its left padding, that is if (out − 1)·stride ≥ size + padding.
    /// </summary>
    /// <remarks>E.g. 112, kernel 3, stride 2, padding 1, floor → 56; 55, kernel 3, stride 2, padding 0,
    /// ceil → 27; GoogLeNet's 112, kernel 3, stride 2, padding 0, ceil → 56. A result below 1 means the window
    /// does not fit, which PyTorch rejects at run time.</remarks>
    /// <param name="size">Input size along the dimension, at least 0.</param>
    /// <param name="kernel">Window size, at least 1.</param>
    /// <param name="stride">Stride, at least 1.</param>
    /// <param name="padding">Padding on each side, at least 0 and at most kernel / 2 (PyTorch's limit).</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static long PoolOutput(long size, long kernel, long stride, long padding, bool ceilMode)
    {
        CheckWindow(size, kernel, stride, padding);
        if (padding > kernel / 2)
            throw new ArgumentOutOfRangeException(nameof(padding), padding,
                $"pooling padding must be at most half the kernel size ({kernel} / 2 = {kernel / 2})");
        var span = size + 2 * padding - kernel;
        var output = FloorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (output - 1) * stride >= size + padding)
            output--;
        return output;
    }

    /// <summary>
    /// torchvision's <c>_make_divisible</c>, the channel rounding of MobileNet and EfficientNet: the multiple
    /// of <paramref name="divisor"/> nearest to <paramref name="value"/> (halves round up), at least
    /// <paramref name="minValue"/>, and raised by one more <paramref name="divisor"/> if that would fall
    /// below 90 % of <paramref name="value"/>.
    /// </summary>
    /// <remarks>
    /// Exactly: m = minValue ?? divisor; r = max(m, ⌊⌊value + divisor / 2⌋ / divisor⌋ · divisor) with
    /// real <c>divisor / 2</c>; if r &lt; 0.9·value then r + divisor, else r. E.g. (16, 8) → 16;
    /// (18, 8) → 24 (16 is below 16.2); (12, 8) → 16; (3, 8) → 8.
    /// </remarks>
    /// <param name="value">The unrounded channel count, finite and at least 0 (e.g. <c>32 * width</c>).</param>
    /// <param name="divisor">The multiple to round to, at least 1.</param>
    /// <param name="minValue">The smallest result; <paramref name="divisor"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static long Divisible(double value, long divisor, long? minValue = null)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, "the value to round must be finite and at least 0");
        if (divisor < 1)
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "the divisor must be at least 1");
        var rounded = (long)Math.Truncate(value + divisor / 2.0) / divisor * divisor;
        var result = Math.Max(minValue ?? divisor, rounded);
        return result < 0.9 * value ? result + divisor : result;
    }

    private static void CheckWindow(long size, long kernel, long stride, long padding)
    {
        if (size < 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "size must be at least 0");
        if (kernel < 1)
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "kernel size must be at least 1");
        if (stride < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be at least 1");
        if (padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be at least 0");
    }

    // Division rounded towards negative infinity (C#'s / truncates towards zero); divisor > 0.
    private static long FloorDiv(long numerator, long divisor)
    {
        var quotient = numerator / divisor;
        return numerator % divisor < 0 ? quotient - 1 : quotient;
    }
}
