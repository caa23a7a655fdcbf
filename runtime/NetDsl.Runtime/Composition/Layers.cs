using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The built-in layers whose output shape differs from their input: each creates the TorchSharp module
/// from the current <see cref="FeatureShape"/> and advances that shape, so a generated constructor reads
/// as one line per layer. Flat features (after <c>flatten</c>) are <c>n x 1 x 1</c>. A layer whose output would
/// have no pixels left throws <see cref="NetDslArgumentException"/> NN0203, and a convolution whose groups do not divide
/// its channels NN0202, as the checker reports them.
/// </summary>
public static class Layers
{
    /// <summary><c>conv</c> and <c>dwconv</c>: <c>nn.Conv2d(shape.Channels, outChannels, kernel, …)</c>; the layer's
    /// name in messages is <paramref name="layer"/> (<c>conv</c> or <c>dwconv</c>). A <c>conv</c>'s groups are checked
    /// (<see cref="Require.ConvolutionGroups"/>); a <c>dwconv</c>'s are its input channels.</summary>
    public static Conv2d Conv2d(ref FeatureShape shape, long outChannels, long kernel, long stride, long padding,
        long dilation, long groups, bool bias, string layer = "conv")
    {
        if (layer != "dwconv")
            Require.ConvolutionGroups(groups, shape.Channels, outChannels, layer);
        var output = Spatial(shape, outChannels,
            ShapeMath.ConvOutput(shape.Height, kernel, stride, padding, dilation),
            ShapeMath.ConvOutput(shape.Width, kernel, stride, padding, dilation), layer, kernel, stride);
        var conv = nn.Conv2d(shape.Channels, outChannels, kernel, stride: stride, padding: padding,
            dilation: dilation, groups: groups, bias: bias);
        shape = output;
        return conv;
    }

    /// <summary>
    /// <c>deconv</c>: a transposed convolution (U-Net's up-convolution); the size becomes
    /// <c>(size - 1) x stride - 2 x padding + kernel</c>.
    /// </summary>
    public static ConvTranspose2d ConvTranspose2d(ref FeatureShape shape, long outChannels, long kernel, long stride, long padding, bool bias)
    {
        var output = Spatial(shape, outChannels,
            (shape.Height - 1) * stride - 2 * padding + kernel,
            (shape.Width - 1) * stride - 2 * padding + kernel, "deconv", kernel, stride);
        var deconv = nn.ConvTranspose2d(shape.Channels, outChannels, kernel, stride: stride, padding: padding, bias: bias);
        shape = output;
        return deconv;
    }

    /// <summary><c>upsample</c>: the size times an integer factor, nearest or bilinear.</summary>
    public static Upsample Upsample(ref FeatureShape shape, long scale, bool bilinear)
    {
        var upsample = new Upsample(scale, bilinear);
        shape = shape with { Height = shape.Height * scale, Width = shape.Width * scale };
        return upsample;
    }

    /// <summary><c>compconv</c> with an explicit depth (0–3) or, when <paramref name="depth"/> is null, the
    /// adaptive depth for <paramref name="c0"/>.</summary>
    public static CompConv2d CompConv(ref FeatureShape shape, long outChannels, long kernel, long stride, long? depth, long c0)
    {
        var output = Spatial(shape, outChannels,
            ShapeMath.ConvOutput(shape.Height, kernel, stride, kernel / 2),
            ShapeMath.ConvOutput(shape.Width, kernel, stride, kernel / 2), "compconv", kernel, stride);
        var conv = new CompConv2d(shape.Channels, outChannels, kernel, stride,
            depth ?? CompConv2d.AdaptiveDepth(shape.Channels, c0));
        shape = output;
        return conv;
    }

    /// <summary><c>linear</c> on flat features.</summary>
    public static Linear Linear(ref FeatureShape shape, long outFeatures, bool bias)
    {
        var linear = nn.Linear(shape.Channels, outFeatures, hasBias: bias);
        shape = new FeatureShape(outFeatures, 1, 1);
        return linear;
    }

    /// <summary><c>maxpool(k, s, pad, ceil)</c>.</summary>
    public static MaxPool2d MaxPool(ref FeatureShape shape, long kernel, long stride, long padding, bool ceil)
    {
        shape = Pooled(shape, kernel, stride, padding, ceil, "maxpool");
        return nn.MaxPool2d(kernel, stride, padding, ceil_mode: ceil);
    }

    /// <summary><c>avgpool(k, s, pad, ceil)</c>.</summary>
    public static AvgPool2d AvgPool(ref FeatureShape shape, long kernel, long stride, long padding, bool ceil)
    {
        shape = Pooled(shape, kernel, stride, padding, ceil, "avgpool");
        return nn.AvgPool2d(kernel, stride, padding, ceil_mode: ceil);
    }

    /// <summary><c>avgpool</c> without arguments: global average pooling to <c>C x 1 x 1</c>.</summary>
    public static AdaptiveAvgPool2d GlobalAvgPool(ref FeatureShape shape)
    {
        shape = shape with { Height = 1, Width = 1 };
        return nn.AdaptiveAvgPool2d(1);
    }

    /// <summary><c>maxpool</c> without arguments: global max pooling to <c>C x 1 x 1</c>.</summary>
    public static AdaptiveMaxPool2d GlobalMaxPool(ref FeatureShape shape)
    {
        shape = shape with { Height = 1, Width = 1 };
        return nn.AdaptiveMaxPool2d(new long[] { 1, 1 });
    }

    /// <summary><c>flatten</c>: <c>C x H x W</c> becomes <c>C·H·W</c> flat features.</summary>
    public static Flatten Flatten(ref FeatureShape shape)
    {
        shape = new FeatureShape(shape.Elements, 1, 1);
        return nn.Flatten();
    }

    /// <summary><c>crelu</c>: doubles the channels.</summary>
    public static CReLU CReLU(ref FeatureShape shape)
    {
        shape = shape with { Channels = 2 * shape.Channels };
        return new CReLU();
    }

    /// <summary>
    /// The projection shortcut of <c>residual(project: true)</c>, as in ResNet: a 1x1 convolution without bias
    /// whose stride is the ratio of the input's to the output's size, then batch norm (<c>shortcut.0</c>, <c>shortcut.1</c>).
    /// </summary>
    public static SequentialModule Projection(FeatureShape input, FeatureShape output)
    {
        var shortcut = new SequentialModule("shortcut");
        shortcut.Append(nn.Conv2d(input.Channels, output.Channels, 1, stride: (input.Height + output.Height - 1) / output.Height, bias: false));
        shortcut.Append(nn.BatchNorm2d(output.Channels));
        return shortcut;
    }

    private static FeatureShape Pooled(FeatureShape shape, long kernel, long stride, long padding, bool ceil, string layer) =>
        Spatial(shape, shape.Channels,
            ShapeMath.PoolOutput(shape.Height, kernel, stride, padding, ceil),
            ShapeMath.PoolOutput(shape.Width, kernel, stride, padding, ceil), layer, kernel, stride);

    // The output shape, unless the window no longer fits: then the checker's NN0203, e.g. "conv 3x3/2 on 1x1 gives 0x0".
    private static FeatureShape Spatial(FeatureShape input, long channels, long height, long width, string layer, long kernel, long stride)
    {
        if (height < 1 || width < 1)
        {
            var what = $"{layer} {kernel}x{kernel}{(stride == 1 ? "" : "/" + stride)}";
            throw Require.Catalogue.SpatialTooSmall.Exception(what, $"{input.Height}x{input.Width}", $"{Math.Max(0, height)}x{Math.Max(0, width)}");
        }
        return new FeatureShape(channels, height, width);
    }
}
