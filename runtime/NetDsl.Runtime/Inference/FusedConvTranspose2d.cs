using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// <see cref="FusedConv2d"/> for a transposed convolution: the batch norm after it folded into its weight and bias, the
/// activation after that applied in place. Weight and bias are buffers (<c>weight</c>, <c>bias</c>).
/// </summary>
/// <remarks>A transposed convolution's weight is <c>[in, out / groups, kH, kW]</c>, so output channel
/// <c>g·(out / groups) + j</c> is column j of group g's rows, and that is where its batch-norm scale goes.</remarks>
internal sealed class FusedConvTranspose2d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor weight;
    private readonly Tensor bias;
    private readonly long[] stride;
    private readonly long[] padding;
    private readonly long[] outputPadding;
    private readonly long[] dilation;
    private readonly long groups;

    public FusedActivation Activation { get; }

    public FusedConvTranspose2d(string name, ConvTranspose2d conv, BatchNorm2d? norm, FusedActivation activation) : base(name)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding is null)
            throw new NotSupportedException($"ForInference: transposed convolution '{name}' pads with {conv.padding_mode}; only zero padding is folded");
        (weight, bias) = Fold(conv, norm, name);
        stride = conv.stride.ToArray();
        padding = conv.padding.ToArray();
        outputPadding = conv.output_padding.ToArray();
        dilation = conv.dilation.ToArray();
        groups = conv.groups;
        Activation = activation;
        register_buffer(nameof(weight), weight);
        register_buffer(nameof(bias), bias);
    }

    public override Tensor forward(Tensor input)
    {
        var output = nn.functional.conv_transpose2d(input, weight, bias, stride, padding, outputPadding, dilation, groups);
        return Activation.ApplyInPlace(output);
    }

    // In double precision and rounded once, as FusedConv2d.Fold.
    private static (Tensor Weight, Tensor Bias) Fold(ConvTranspose2d conv, BatchNorm2d? norm, string name)
    {
        using var scope = NewDisposeScope();
        var dtype = conv.weight.dtype;
        var w = conv.weight.detach().to(ScalarType.Float64);
        var outChannels = conv.out_channels;
        var b = conv.bias is null ? zeros(outChannels, dtype: ScalarType.Float64) : conv.bias.detach().to(ScalarType.Float64);
        if (norm is not null)
        {
            var (scale, shift) = FusedConv2d.NormAffine(norm, name);
            var (inChannels, groups) = (w.size(0), conv.groups);
            var shape = w.shape;
            w = (w.view(groups, inChannels / groups, outChannels / groups, shape[2], shape[3])
                 * scale.view(groups, 1, outChannels / groups, 1, 1)).view(shape);
            b = b * scale + shift;
        }
        return (w.to(dtype).contiguous().MoveToOuterDisposeScope(), b.to(dtype).contiguous().MoveToOuterDisposeScope());
    }
}
