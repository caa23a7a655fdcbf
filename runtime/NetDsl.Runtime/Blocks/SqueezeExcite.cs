using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Squeeze-and-excitation channel attention (Hu et al. 2018), exactly torchvision's
/// <c>SqueezeExcitation</c>: global average pool → 1x1 conv <c>fc1</c> (C → S, with bias) →
/// <c>activation</c> → 1x1 conv <c>fc2</c> (S → C, with bias) → <c>scale_activation</c> (the gate) →
/// the input multiplied channel-wise by the gate.
/// </summary>
/// <remarks>
/// <para>Input and output are <c>[N, C, H, W]</c>. Parameters: <c>2·C·S + S + C</c>
/// (<c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>), so state dicts line up with
/// torchvision's. MACs per sample (torchvision's convention): <c>2·C·S</c>.</para>
/// <para>Sub-modules, in registration order: <c>avgpool</c>, <c>fc1</c>, <c>fc2</c>, <c>activation</c>,
/// <c>scale_activation</c>.</para>
/// </remarks>
public sealed class SqueezeExcite : nn.Module<Tensor, Tensor>
{
    // Field names are the registered sub-module names (torchvision's).
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly nn.Module<Tensor, Tensor> scale_activation;

    /// <summary>Channels of the input and the output (C).</summary>
    public long Channels { get; }

    /// <summary>Channels of the bottleneck between <c>fc1</c> and <c>fc2</c> (S).</summary>
    public long SqueezeChannels { get; }

    /// <summary>Creates a squeeze-and-excitation block.</summary>
    /// <param name="channels">C, the channels of the input, at least 1.</param>
    /// <param name="squeezeChannels">S, the bottleneck width, at least 1 (e.g. C / 16, or
    /// <see cref="ShapeMath.Divisible"/>(C / 4, 8) in MobileNetV3).</param>
    /// <param name="activation">Applied after <c>fc1</c>; <c>nn.ReLU()</c> when null.</param>
    /// <param name="gate">Turns <c>fc2</c>'s output into the per-channel scale; <c>nn.Sigmoid()</c>
    /// when null (MobileNetV3 uses <c>nn.Hardsigmoid()</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count is below 1.</exception>
    public SqueezeExcite(long channels, long squeezeChannels,
        nn.Module<Tensor, Tensor>? activation = null, nn.Module<Tensor, Tensor>? gate = null)
        : base(nameof(SqueezeExcite))
    {
        if (channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "squeeze-excite needs at least one channel");
        if (squeezeChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(squeezeChannels), squeezeChannels, "squeeze-excite needs at least one squeeze channel");
        Channels = channels;
        SqueezeChannels = squeezeChannels;
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(channels, squeezeChannels, 1, bias: true);
        fc2 = nn.Conv2d(squeezeChannels, channels, 1, bias: true);
        this.activation = activation ?? nn.ReLU();
        scale_activation = gate ?? nn.Sigmoid();
        RegisterComponents();
    }

    /// <summary>Scales each channel of the <c>[N, C, H, W]</c> input by its learned gate in (0, 1).</summary>
    public override Tensor forward(Tensor input)
    {
        using var pooled = avgpool.call(input);
        using var squeezed = fc1.call(pooled);
        using var activated = activation.call(squeezed);
        using var expanded = fc2.call(activated);
        using var scale = scale_activation.call(expanded);
        return input * scale;
    }
}
