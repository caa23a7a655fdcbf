using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// A network prepared by <see cref="InferenceExtensions.ForInference"/>: forward runs without autograd, in the
/// memory order chosen by <see cref="InferenceOptions.ChannelsLast"/>. Its only child is <c>network</c>.
/// </summary>
public sealed class InferenceModule : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> network;

    internal InferenceModule(nn.Module<Tensor, Tensor> network, InferenceOptions options) : base(nameof(InferenceModule))
    {
        this.network = network;
        Options = options;
        RegisterComponents();
    }

    /// <summary>How the module was prepared.</summary>
    public InferenceOptions Options { get; }

    /// <summary>The prepared network's output for <paramref name="input"/> (NCHW, as the original's).</summary>
    public override Tensor forward(Tensor input)
    {
        using var noGrad = no_grad();
        if (!Options.ChannelsLast || input.dim() != 4)
            return network.call(input);
        using var channelsLast = MemoryOrder.ChannelsLast(input);
        return network.call(channelsLast);
    }
}
