using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// <see cref="Residual"/> for inference: the shortcut is added into the body's output in place and the activation
/// that followed the block (ResNet's ReLU) runs on it in place, so a block allocates one tensor fewer than two.
/// Sub-modules <c>body</c> and, when present, <c>shortcut</c>, as in <see cref="Residual"/>.
/// </summary>
internal sealed class InferenceResidual : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor>? shortcut;
    private readonly FusedActivation activation;
    private readonly bool bodyOutputIsFresh;

    public InferenceResidual(string name, nn.Module<Tensor, Tensor> body, nn.Module<Tensor, Tensor>? shortcut, FusedActivation activation)
        : base(name)
    {
        this.body = body;
        this.shortcut = shortcut;
        this.activation = activation;
        bodyOutputIsFresh = EndsWithFreshOutput(body);
        RegisterComponents();
    }

    private static bool EndsWithFreshOutput(nn.Module<Tensor, Tensor> body) => body switch
    {
        FusedConv2d or FusedConvTranspose2d or FrozenBatchNorm2d => true,
        // With graph steps the result may be a recalled feature map, even the input's alias: never written to.
        NetDsl.Runtime.Composition.SequentialModule { HasGraphSteps: true } => false,
        NetDsl.Runtime.Composition.SequentialModule sequence =>
            sequence.named_children().LastOrDefault().module is nn.Module<Tensor, Tensor> last && EndsWithFreshOutput(last),
        _ => false,
    };

    public override Tensor forward(Tensor input)
    {
        var main = body.call(input);
        Tensor? side = null;
        try
        {
            side = shortcut is null ? input : shortcut.call(input);
            if (!BlockSupport.SameShape(main, side))
                throw new ArgumentException(
                    $"residual: the body gives {BlockSupport.Format(main.shape)} but the shortcut gives {BlockSupport.Format(side.shape)}; they must be equal");
            // Only a body known to end in a fresh tensor is written to: others may hand back (a view of) the input.
            Tensor sum;
            if (bodyOutputIsFresh)
            {
                sum = InPlace.Keep(main, main.add_(side));
            }
            else
            {
                sum = main.add(side);
                main.Dispose();
            }
            return activation.ApplyInPlace(sum);
        }
        catch
        {
            main.Dispose();
            throw;
        }
        finally
        {
            if (side is not null && !ReferenceEquals(side, input))
                side.Dispose();
        }
    }
}
