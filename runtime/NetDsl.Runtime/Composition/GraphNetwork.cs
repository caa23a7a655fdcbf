using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>A network with one input and several named outputs (a feature pyramid), seen without its output type.</summary>
public interface IMultiOutputNetwork
{
    /// <summary>The outputs' names in the <c>.nn</c> file (<c>p3</c>, <c>p4</c>, …), in order.</summary>
    IReadOnlyList<string> OutputNames { get; }

    /// <summary>The shape of one sample of each output, in the order of <see cref="OutputNames"/>.</summary>
    IReadOnlyList<FeatureShape> OutputShapes { get; }

    /// <summary>The shape of one sample entering the network.</summary>
    FeatureShape InputShape { get; }

    /// <summary>Runs the network on <paramref name="input"/> and returns its outputs in the order of
    /// <see cref="OutputNames"/>; the caller owns them, and <paramref name="input"/> is not disposed.</summary>
    IReadOnlyList<Tensor> ForwardFeatures(Tensor input);
}

/// <summary>
/// The base of generated networks with several outputs: the steps run on the input and the tensors of the output
/// slots become a <typeparamref name="TOutputs"/> (a generated record with one property per output).
/// </summary>
/// <typeparam name="TOutputs">What forward returns, built by <see cref="CreateOutputs"/>.</typeparam>
public abstract class GraphNetwork<TOutputs> : FeatureModule<Tensor, TOutputs>, IMultiOutputNetwork
{
    private string[] outputNames = [];
    private FeatureShape[] outputShapes = [];

    /// <summary>Creates a network without steps.</summary>
    /// <param name="name">The module's name (TorchSharp's <c>Module.GetName()</c>).</param>
    protected GraphNetwork(string name) : base(name) { }

    /// <inheritdoc/>
    public IReadOnlyList<string> OutputNames => outputNames;

    /// <inheritdoc/>
    public IReadOnlyList<FeatureShape> OutputShapes => outputShapes;

    /// <summary>Declares the outputs: output i is named <c>names[i]</c>, is the tensor of slot <c>slots[i]</c> and has
    /// one sample of shape <c>shapes[i]</c>.</summary>
    /// <exception cref="InvalidOperationException">The three arrays differ in length or are empty, a name is empty or
    /// repeated, or a slot is out of range.</exception>
    protected void SetOutputs(string[] names, int[] slots, FeatureShape[] shapes)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(shapes);
        if (names.Length == 0 || names.Length != slots.Length || names.Length != shapes.Length)
            throw new InvalidOperationException(
                $"{GetName()}: outputs need one name, slot and shape each, got {names.Length} names, {slots.Length} slots and {shapes.Length} shapes");
        if (names.Any(string.IsNullOrEmpty) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new InvalidOperationException($"{GetName()}: output names must be distinct and not empty: {string.Join(", ", names)}");
        SetOutputSlots(slots);
        outputNames = names.ToArray();
        outputShapes = shapes.ToArray();
    }

    /// <summary>Turns the output tensors, in the order of <see cref="OutputNames"/>, into the network's result.</summary>
    /// <param name="outputs">The outputs, owned by the result from now on.</param>
    protected abstract TOutputs CreateOutputs(IReadOnlyList<Tensor> outputs);

    /// <inheritdoc/>
    public IReadOnlyList<Tensor> ForwardFeatures(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!HasOutputSlots)
            throw new InvalidOperationException($"{GetName()} declares no outputs (SetOutputs)");
        return RunSteps([input]);
    }

    /// <summary>Runs the network and returns its outputs, which the caller owns.</summary>
    public override TOutputs forward(Tensor input) => CreateOutputs(ForwardFeatures(input));

    // ForInference builds its own result object with this network's record type.
    internal TOutputs CreateOutputsFor(IReadOnlyList<Tensor> outputs) => CreateOutputs(outputs);
}
