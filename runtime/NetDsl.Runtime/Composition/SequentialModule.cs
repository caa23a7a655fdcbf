using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The base of every generated network and block with one input and one output, and the container of a labelled
/// group, a path or a residual body: named children run in the order they were appended, like <c>nn.Sequential</c>,
/// with the graph steps of <see cref="FeatureModule{TInput, TOutput}"/> (keep, recall, merge, resize, blocks with
/// several inputs or outputs) in between when the declaration has named feature maps.
/// </summary>
/// <remarks>
/// Children are registered under the label given, or else under the next number of the unlabelled ones
/// (<c>"0"</c>, <c>"1"</c>, …), so state-dict keys follow docs/language.md and the checker's report.
/// </remarks>
public class SequentialModule : FeatureModule<Tensor, Tensor>
{
    /// <summary>Creates an empty sequence.</summary>
    /// <param name="name">The module's name (TorchSharp's <c>Module.GetName()</c>).</param>
    public SequentialModule(string name) : base(name) { }

    /// <summary>
    /// Runs the steps in order; intermediate tensors are disposed as soon as they are consumed. With graph steps the
    /// result is the current feature after the last step, which must be exactly one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The steps end with a bundle of several features.</exception>
    public override Tensor forward(Tensor input)
    {
        if (!HasGraphSteps)
            return RunChain(input);
        var outputs = RunSteps([input]);
        if (outputs.Count == 1)
            return outputs[0];
        foreach (var output in outputs)
            output.Dispose();
        throw new InvalidOperationException(
            $"{GetName()}: the steps end with {outputs.Count} features, but a sequence returns exactly one " +
            "(this is a bug in the code that built the module)");
    }
}
