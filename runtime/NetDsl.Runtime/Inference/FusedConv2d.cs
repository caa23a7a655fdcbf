using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// A convolution with the batch norm after it folded into its weight and bias, and the activation after that applied
/// in place: <c>act(conv(x, W·s, (b − μ)·s + β))</c> with <c>s = γ / √(σ² + ε)</c>, one pass over the output instead
/// of three. Weight and bias are buffers (<c>weight</c>, <c>bias</c>): nothing here trains.
/// </summary>
internal sealed class FusedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor weight;
    private readonly Tensor bias;
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long[] dilation;
    private readonly long groups;

    public FusedActivation Activation { get; }

    public FusedConv2d(string name, Conv2d conv, BatchNorm2d? norm, FusedActivation activation, bool channelsLast) : base(name)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding is null)
            throw new NotSupportedException($"ForInference: convolution '{name}' pads with {conv.padding_mode}" +
                $"{(conv.padding is null ? $" ({conv.padding_type})" : "")}; only explicit zero padding is folded");
        var (folded, shift) = Fold(conv.weight, conv.bias, norm, name);
        weight = channelsLast ? MemoryOrder.ChannelsLast(folded) : folded;
        if (channelsLast)
            folded.Dispose();
        bias = shift;
        stride = conv.stride.ToArray();
        padding = conv.padding.ToArray();
        dilation = conv.dilation.ToArray();
        groups = conv.groups;
        Activation = activation;
        register_buffer(nameof(weight), weight);
        register_buffer(nameof(bias), bias);
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
        return Activation.ApplyInPlace(output);
    }

    /// <summary>
    /// The weight and bias of <c>norm(conv(x))</c> as one convolution, computed in double precision and rounded once,
    /// so the folded network stays within float rounding of the original.
    /// </summary>
    internal static (Tensor Weight, Tensor Bias) Fold(Tensor convWeight, Tensor? convBias, BatchNorm2d? norm, string name)
    {
        using var scope = NewDisposeScope();
        var dtype = convWeight.dtype;
        var w = convWeight.detach().to(ScalarType.Float64);
        var b = convBias is null ? zeros(w.size(0), dtype: ScalarType.Float64) : convBias.detach().to(ScalarType.Float64);
        if (norm is not null)
        {
            var (scale, shift) = NormAffine(norm, name);
            w = w * scale.view(-1, 1, 1, 1);
            b = b * scale + shift;
        }
        return (w.to(dtype).contiguous().MoveToOuterDisposeScope(), b.to(dtype).contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>Batch norm in eval mode as <c>x·scale + shift</c> per channel (double precision).</summary>
    internal static (Tensor Scale, Tensor Shift) NormAffine(BatchNorm2d norm, string name)
    {
        if (norm.running_mean is null || norm.running_var is null)
            throw new NotSupportedException(
                $"ForInference: batch norm '{name}' keeps no running statistics, so it normalizes each batch by itself and cannot be folded");
        var mean = norm.running_mean.detach().to(ScalarType.Float64);
        var variance = norm.running_var.detach().to(ScalarType.Float64);
        var scale = (variance + norm.eps).rsqrt();
        if (norm.weight is not null)
            scale = scale * norm.weight.detach().to(ScalarType.Float64);
        var shift = -mean * scale;
        if (norm.bias is not null)
            shift = shift + norm.bias.detach().to(ScalarType.Float64);
        return (scale, shift);
    }
}
