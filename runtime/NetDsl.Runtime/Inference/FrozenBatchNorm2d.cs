using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// A batch norm with nothing to fold into (as DenseNet's, before its convolution): its running statistics as one
/// multiply-add per element, <c>x·scale + shift</c>, then the activation after it in place. Buffers <c>scale</c>, <c>shift</c>.
/// </summary>
internal sealed class FrozenBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor scale;
    private readonly Tensor shift;
    private readonly FusedActivation activation;

    public FrozenBatchNorm2d(string name, BatchNorm2d norm, FusedActivation activation) : base(name)
    {
        using (var scope = NewDisposeScope())
        {
            var (s, t) = FusedConv2d.NormAffine(norm, name);
            var dtype = norm.running_mean!.dtype;
            scale = s.to(dtype).view(1, -1, 1, 1).contiguous().MoveToOuterDisposeScope();
            shift = t.to(dtype).view(1, -1, 1, 1).contiguous().MoveToOuterDisposeScope();
        }
        this.activation = activation;
        register_buffer(nameof(scale), scale);
        register_buffer(nameof(shift), shift);
    }

    public override Tensor forward(Tensor input) => activation.ApplyInPlace(addcmul(shift, input, scale, 1));
}
