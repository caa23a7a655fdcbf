using NetDsl.Runtime.Composition;

namespace NetDsl.Runtime.Inference;

/// <summary>The inference copy of a <see cref="GraphBlock"/> (or of a multi-output network's steps): the same steps with
/// prepared children, the same outputs.</summary>
internal sealed class InferenceGraphBlock : GraphBlock
{
    public InferenceGraphBlock(string name, IReadOnlyList<FeatureShape> inputShapes, IReadOnlyList<FeatureShape> outputShapes) : base(name)
    {
        InputShapes = inputShapes.ToArray();
        OutputShapes = outputShapes.ToArray();
    }

    /// <summary>Declares the output slots once the steps are replayed (null: the current features after the last step).</summary>
    public InferenceGraphBlock WithOutputs(IReadOnlyList<int>? slots)
    {
        if (slots is not null)
            SetOutputs(slots.ToArray());
        return this;
    }
}
