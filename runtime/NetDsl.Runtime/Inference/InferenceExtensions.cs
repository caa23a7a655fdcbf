using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>Prepares a generated network for inference: <c>var fast = net.ForInference();</c>.</summary>
public static class InferenceExtensions
{
    /// <summary>
    /// A copy of <paramref name="module"/> for inference: every batch norm that follows a convolution is folded into
    /// that convolution's weights and bias, the activation after it runs in place on the convolution's output, the
    /// remaining batch norms use their running statistics, dropout and drop-path are gone, and forward runs without
    /// autograd. Its outputs equal <paramref name="module"/>'s in eval mode up to float rounding.
    /// </summary>
    /// <remarks>
    /// <paramref name="module"/> is not changed: its parameters, buffers and training mode stay as they were, and the
    /// copy owns new tensors (layers without state, such as pooling, are shared). The copy reflects the weights at the
    /// time of the call; prepare a new one after further training. Only the building blocks of NetDsl.Runtime and the
    /// TorchSharp layers generated code uses are understood; anything else is reported by name.
    /// </remarks>
    /// <exception cref="NotSupportedException">The module tree holds a layer this preparation does not know.</exception>
    public static InferenceModule ForInference(this nn.Module<Tensor, Tensor> module, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        options ??= InferenceOptions.Default;
        using var noGrad = no_grad();
        var prepared = new InferenceBuilder(options).Build(module, module.GetName());
        var inference = new InferenceModule(prepared, options);
        inference.eval();
        return inference;
    }

    /// <summary>
    /// A copy of the multi-output <paramref name="network"/> for inference, prepared as
    /// <see cref="ForInference(nn.Module{Tensor, Tensor}, InferenceOptions?)"/> prepares a network with one output: its
    /// steps (keeps, recalls, merges, resizes, blocks) are replayed with prepared children, and forward returns the same
    /// output record, equal to <paramref name="network"/>'s in eval mode up to float rounding.
    /// </summary>
    /// <remarks><paramref name="network"/> is not changed; a fusion never reaches across a graph step, so every named
    /// feature map keeps the value it has in the original.</remarks>
    /// <exception cref="NotSupportedException">The module tree holds a layer this preparation does not know.</exception>
    public static InferenceNetwork<TOutputs> ForInference<TOutputs>(this GraphNetwork<TOutputs> network, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= InferenceOptions.Default;
        using var noGrad = no_grad();
        var builder = new InferenceBuilder(options);
        var body = builder.Replay<InferenceGraphBlock, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>(network,
            new InferenceGraphBlock(network.GetName(), [network.InputShape], network.OutputShapes)).WithOutputs(((IFeatureGraph)network).OutputSlots);
        var inference = new InferenceNetwork<TOutputs>(body, network.CreateOutputsFor, network, options);
        inference.eval();
        return inference;
    }
}
