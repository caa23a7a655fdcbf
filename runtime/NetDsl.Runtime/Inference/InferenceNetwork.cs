using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// A multi-output network prepared by <see cref="InferenceExtensions.ForInference{TOutputs}(GraphNetwork{TOutputs}, InferenceOptions?)"/>:
/// forward runs without autograd, in the memory order chosen by <see cref="InferenceOptions.ChannelsLast"/>, and
/// returns the original network's output record. Its only child is <c>network</c>.
/// </summary>
/// <typeparam name="TOutputs">The original network's output record.</typeparam>
public sealed class InferenceNetwork<TOutputs> : nn.Module<Tensor, TOutputs>, IMultiOutputNetwork
{
    private readonly GraphBlock network;
    private readonly Func<IReadOnlyList<Tensor>, TOutputs> createOutputs;

    internal InferenceNetwork(GraphBlock network, Func<IReadOnlyList<Tensor>, TOutputs> createOutputs, IMultiOutputNetwork original,
        InferenceOptions options) : base(nameof(InferenceNetwork<TOutputs>))
    {
        this.network = network;
        this.createOutputs = createOutputs;
        OutputNames = original.OutputNames.ToArray();
        OutputShapes = original.OutputShapes.ToArray();
        InputShape = original.InputShape;
        Options = options;
        register_module(nameof(network), network);
    }

    /// <summary>How the network was prepared.</summary>
    public InferenceOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> OutputNames { get; }

    /// <inheritdoc/>
    public IReadOnlyList<FeatureShape> OutputShapes { get; }

    /// <inheritdoc/>
    public FeatureShape InputShape { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> ForwardFeatures(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var noGrad = no_grad();
        if (!Options.ChannelsLast || input.dim() != 4)
            return network.call([input]);
        using var channelsLast = MemoryOrder.ChannelsLast(input);
        return network.call([channelsLast]);
    }

    /// <summary>The prepared network's outputs for <paramref name="input"/> (NCHW, as the original's), which the caller owns.</summary>
    public override TOutputs forward(Tensor input) => createOutputs(ForwardFeatures(input));
}
