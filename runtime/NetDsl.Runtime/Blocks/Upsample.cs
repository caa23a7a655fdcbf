using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Enlarges feature maps by an integer factor: <c>F.interpolate(x, scale_factor: s)</c>, nearest (each pixel
/// repeated s × s times) or bilinear with <c>align_corners=false</c> (PyTorch's <c>nn.Upsample</c>).
/// </summary>
/// <remarks>Input <c>[N, C, H, W]</c>, output <c>[N, C, s·H, s·W]</c>. No parameters.</remarks>
public sealed class Upsample : nn.Module<Tensor, Tensor>
{
    /// <summary>The factor s by which height and width grow.</summary>
    public long Scale { get; }

    /// <summary>Bilinear (true) or nearest (false) interpolation.</summary>
    public bool Bilinear { get; }

    /// <summary>Creates an upsampling layer.</summary>
    /// <param name="scale">The factor, at least 1.</param>
    /// <param name="bilinear">Bilinear with <c>align_corners=false</c> rather than nearest.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is below 1.</exception>
    public Upsample(long scale, bool bilinear) : base(nameof(Upsample))
    {
        if (scale < 1)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "upsampling needs a scale of at least 1");
        Scale = scale;
        Bilinear = bilinear;
    }

    /// <summary>Returns the input enlarged by <see cref="Scale"/> in height and width.</summary>
    public override Tensor forward(Tensor input) => Interpolate(input, null, [Scale, Scale], Bilinear);

    /// <summary><c>F.interpolate</c> to <paramref name="size"/> or by <paramref name="scale"/>, nearest, or bilinear with
    /// <c>align_corners=false</c> (nearest takes no <c>align_corners</c>).</summary>
    internal static Tensor Interpolate(Tensor input, long[]? size, double[]? scale, bool bilinear) =>
        nn.functional.interpolate(input, size, scale,
            bilinear ? InterpolationMode.Bilinear : InterpolationMode.Nearest,
            bilinear ? false : null);
}
