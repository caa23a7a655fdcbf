using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The base of generated blocks with several inputs or several outputs (an FPN or BiFPN layer): the input bundle
/// becomes the current features, the steps run, and the outputs are the tensors of the slots given to
/// <see cref="SetOutputs"/>, or else the current features after the last step.
/// </summary>
/// <remarks>
/// A block is appended to its caller with <see cref="FeatureModule{TInput, TOutput}.AppendBlock{T}(T)"/>: the caller's
/// current features, in order, are its inputs and its outputs become the caller's current features. Its children are
/// numbered and labelled like <see cref="SequentialModule"/>'s.
/// </remarks>
public abstract class GraphBlock : FeatureModule<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>
{
    /// <summary>Creates a block without steps.</summary>
    /// <param name="name">The module's name (TorchSharp's <c>Module.GetName()</c>).</param>
    protected GraphBlock(string name) : base(name) { }

    /// <summary>The shape of one sample of each input, in order (set by generated constructors; empty when not declared).</summary>
    public IReadOnlyList<FeatureShape> InputShapes { get; protected set; } = [];

    /// <summary>The shape of one sample of each output, in order (set by generated constructors; empty when not declared).</summary>
    public IReadOnlyList<FeatureShape> OutputShapes { get; protected set; } = [];

    /// <summary>Makes the tensors of <paramref name="slots"/>, in order, the block's outputs.</summary>
    /// <param name="slots">At least one slot, each kept by the steps.</param>
    protected void SetOutputs(params int[] slots) => SetOutputSlots(slots);

    /// <summary>Runs the steps with <paramref name="inputs"/> as the current features and returns the outputs, which the
    /// caller owns (an output that is an input comes back as its alias; the inputs are never disposed).</summary>
    /// <exception cref="ArgumentException">The block declares its inputs and <paramref name="inputs"/> has a different count.</exception>
    public override IReadOnlyList<Tensor> forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (InputShapes.Count > 0 && inputs.Count != InputShapes.Count)
            throw new ArgumentException(
                $"{GetName()} takes {InputShapes.Count} input feature{(InputShapes.Count == 1 ? "" : "s")}, got {inputs.Count}", nameof(inputs));
        return RunSteps(inputs);
    }
}
