using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>The steps of a <see cref="FeatureModule{TInput, TOutput}"/>, whatever its input and output types, for
/// tools that walk a module tree (ForInference, the ONNX exporter).</summary>
public interface IFeatureGraph
{
    /// <summary>The steps, in the order forward runs them.</summary>
    IReadOnlyList<FeatureStep> Steps { get; }

    /// <summary>The number of feature slots (named feature maps).</summary>
    int SlotCount { get; }

    /// <summary>The slots whose tensors are the module's outputs, in order; null when the outputs are the
    /// current features after the last step.</summary>
    IReadOnlyList<int>? OutputSlots { get; }

    /// <summary>Whether any step is more than an <c>Append</c> (a block, keep, recall, merge or resize).</summary>
    bool HasGraphSteps { get; }
}

/// <summary>
/// The base of generated networks and blocks: named children and graph steps (keep, recall, merge, resize) that
/// run in the order they were added, on the <i>current features</i>, one tensor or a bundle of several, and on
/// numbered <i>slots</i> that hold named feature maps.
/// </summary>
/// <remarks>
/// <para>Children are registered under the label given, or else under the next number of the unlabelled ones
/// (<c>"0"</c>, <c>"1"</c>, …, one counter for <see cref="Append{T}(T)"/>, <see cref="AppendBlock{T}(T)"/> and
/// <see cref="Merge{T}(T, int[])"/>), so state-dict keys follow docs/language.md and the checker's report.</para>
/// <para>Slots are numbered 0 … count − 1; call <see cref="SetSlotCount"/> before the first step
/// that names a slot. A slot index out of range, a keep whose count differs from the current features', or a slot
/// read before it is written is a bug in the code that built the module and throws
/// <see cref="InvalidOperationException"/>.</para>
/// </remarks>
/// <typeparam name="TInput">What forward takes: a tensor, or a bundle of features.</typeparam>
/// <typeparam name="TOutput">What forward returns.</typeparam>
public abstract class FeatureModule<TInput, TOutput> : nn.Module<TInput, TOutput>, IFeatureGraph
{
    private readonly List<FeatureStep> steps = new();
    // The modules of the Append steps, in order: the whole forward while HasGraphSteps is false.
    private readonly List<nn.Module<Tensor, Tensor>> chain = new();
    private int unlabelledCount;
    private int childCount;
    private int[]? outputSlots;
    private int slotCount;

    /// <summary>Creates a module without steps.</summary>
    /// <param name="name">The module's name (TorchSharp's <c>Module.GetName()</c>).</param>
    protected FeatureModule(string name) : base(name) { }

    /// <summary>
    /// Registers nothing: every child is registered explicitly, in order, by <see cref="Append{T}(T)"/>,
    /// <see cref="AppendBlock{T}(T)"/> and <see cref="Merge{T}(T, int[])"/>. TorchSharp calls this when the module becomes
    /// another's child, and its default registers fields by name, which would register a generated class's label
    /// properties (their backing fields) a second time.
    /// </summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>The number of children appended so far (modules, blocks and merges).</summary>
    public int Count => childCount;

    /// <summary>The shape of one sample entering the module (set by generated constructors).</summary>
    public FeatureShape InputShape { get; protected set; }

    /// <summary>The shape of one sample leaving the module (set by generated constructors).</summary>
    public FeatureShape OutputShape { get; protected set; }

    // The step listing is for tools and is implemented explicitly, so that generated classes, whose label properties
    // must not clash with inherited members, inherit only the members their constructors call.
    IReadOnlyList<FeatureStep> IFeatureGraph.Steps => steps;

    int IFeatureGraph.SlotCount => slotCount;

    IReadOnlyList<int>? IFeatureGraph.OutputSlots => outputSlots;

    bool IFeatureGraph.HasGraphSteps => HasGraphSteps;

    /// <summary>Whether any step is more than an <c>Append</c>; while it is false, forward on one tensor is the chain.</summary>
    internal bool HasGraphSteps { get; private set; }

    /// <summary>Whether outputs were set; forward then returns the output slots' tensors.</summary>
    private protected bool HasOutputSlots => outputSlots is not null;

    /// <summary>Sizes the slot array: slots 0 … <paramref name="count"/> − 1 can be kept and recalled.</summary>
    /// <param name="count">The number of distinct feature names of the declaration.</param>
    /// <exception cref="InvalidOperationException"><paramref name="count"/> is negative or leaves out a slot a step
    /// already uses.</exception>
    public void SetSlotCount(int count)
    {
        if (count < 0)
            throw new InvalidOperationException($"{GetName()}: the slot count cannot be negative ({count})");
        var used = steps.SelectMany(UsedSlots).Concat(outputSlots ?? []).DefaultIfEmpty(-1).Max();
        if (count <= used)
            throw new InvalidOperationException(
                $"{GetName()}: cannot set the slot count to {count}: the steps so far use slot {used}");
        slotCount = count;
    }

    /// <summary>Appends <paramref name="module"/> under the next number of the unlabelled children. It runs on
    /// each current feature (one module, shared weights, when there are several).</summary>
    /// <returns><paramref name="module"/>, so a caller can read its output shape.</returns>
    public T Append<T>(T module) where T : nn.Module<Tensor, Tensor> => Append(NextNumber(), module);

    /// <summary>Appends <paramref name="module"/> under <paramref name="name"/> (a label). It runs on each current
    /// feature.</summary>
    /// <returns><paramref name="module"/>.</returns>
    public T Append<T>(string name, T module) where T : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(module);
        Register(name, module);
        steps.Add(new ApplyStep(name, module));
        chain.Add(module);
        return module;
    }

    /// <summary>Appends <paramref name="block"/> under the next number of the unlabelled children: all current
    /// features, in order, go in, and its outputs become the current features.</summary>
    /// <returns><paramref name="block"/>.</returns>
    public T AppendBlock<T>(T block) where T : GraphBlock => AppendBlock(NextNumber(), block);

    /// <summary>Appends <paramref name="block"/> under <paramref name="name"/> (a label): all current features, in
    /// order, go in, and its outputs become the current features.</summary>
    /// <returns><paramref name="block"/>.</returns>
    public T AppendBlock<T>(string name, T block) where T : GraphBlock
    {
        ArgumentNullException.ThrowIfNull(block);
        Register(name, block);
        AddGraphStep(new BlockStep(name, block));
        return block;
    }

    /// <summary><c>-&gt; a, b</c>: slot <c>slots[i]</c> takes current feature i. The current features stay.</summary>
    /// <param name="slots">One slot per current feature; the counts must agree when the module runs.</param>
    public void Keep(params int[] slots) => AddGraphStep(new KeepStep(CheckedSlots(slots, nameof(Keep))));

    /// <summary><c>from a, b</c>: the current features become the tensors of <paramref name="slots"/>, in order.</summary>
    /// <param name="slots">At least one slot, each kept before this step runs.</param>
    public void Recall(params int[] slots) => AddGraphStep(new RecallStep(CheckedSlots(slots, nameof(Recall))));

    /// <summary>Appends the merge module <paramref name="merge"/> under the next number of the unlabelled children:
    /// the current feature becomes <c>merge(tensors of slots)</c>.</summary>
    /// <returns><paramref name="merge"/>.</returns>
    public T Merge<T>(T merge, params int[] slots) where T : nn.Module<IReadOnlyList<Tensor>, Tensor> =>
        Merge(NextNumber(), merge, slots);

    /// <summary>Appends the merge module <paramref name="merge"/> under <paramref name="name"/> (a label): the current
    /// feature becomes <c>merge(tensors of slots)</c>.</summary>
    /// <returns><paramref name="merge"/>.</returns>
    public T Merge<T>(string name, T merge, params int[] slots) where T : nn.Module<IReadOnlyList<Tensor>, Tensor>
    {
        ArgumentNullException.ThrowIfNull(merge);
        var checkedSlots = CheckedSlots(slots, nameof(Merge));
        Register(name, merge);
        AddGraphStep(new MergeStep(name, merge, checkedSlots));
        return merge;
    }

    /// <summary>Resizes each current feature to the height and width of the tensor in <paramref name="slot"/> when the
    /// module runs: <c>F.interpolate</c>, nearest, or bilinear with <c>align_corners=false</c>.</summary>
    /// <param name="slot">The slot whose spatial size is the target.</param>
    /// <param name="bilinear">Bilinear rather than nearest interpolation.</param>
    public void ResizeTo(int slot, bool bilinear) =>
        AddGraphStep(new ResizeStep(CheckedSlots([slot], nameof(ResizeTo))[0], bilinear));

    /// <summary>Makes the tensors of <paramref name="slots"/> the module's outputs (for subclasses with named outputs).</summary>
    private protected void SetOutputSlots(int[] slots)
    {
        outputSlots = CheckedSlots(slots, "SetOutputs");
    }

    /// <summary>
    /// Runs the steps on <paramref name="inputs"/> (the initial current features) and returns the current features
    /// after the last step, or the tensors of the output slots when outputs were set. The caller owns the returned
    /// tensors; <paramref name="inputs"/> are never disposed, and an output that is an input comes back as its
    /// <c>alias()</c>. Intermediate tensors are disposed as soon as no slot or current feature holds them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The steps do not fit together (a keep whose count differs from the
    /// current features', a slot read before it is written): a bug in the code that built the module.</exception>
    protected IReadOnlyList<Tensor> RunSteps(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var run = new FeatureRun(GetName(), inputs, slotCount);
        try
        {
            foreach (var step in steps)
            {
                switch (step)
                {
                    case ApplyStep apply: run.Apply(apply.Module); break;
                    case BlockStep block: run.Block(block.Block); break;
                    case KeepStep keep: run.Keep(keep.Slots); break;
                    case RecallStep recall: run.Recall(recall.Slots); break;
                    case MergeStep merge: run.Merge(merge.Merge, merge.Slots); break;
                    case ResizeStep resize: run.Resize(resize.Slot, resize.Bilinear); break;
                    default: throw new InvalidOperationException($"unknown step {step}");
                }
            }
            return run.TakeResults(outputSlots);
        }
        catch
        {
            run.DisposeHeld();
            throw;
        }
    }

    /// <summary>The forward of a module with only <c>Append</c> steps on one tensor: each child in turn, every
    /// intermediate tensor disposed as soon as it is consumed, never the caller's <paramref name="input"/>.</summary>
    private protected Tensor RunChain(Tensor input)
    {
        var features = input;
        foreach (var child in chain)
        {
            var next = child.call(features);
            if (!ReferenceEquals(features, input) && !ReferenceEquals(features, next))
                features.Dispose();
            features = next;
        }
        // Callers own what forward returns, so never hand back the caller's own tensor.
        return ReferenceEquals(features, input) ? input.alias() : features;
    }

    private string NextNumber() => (unlabelledCount++).ToString(CultureInfo.InvariantCulture);

    private void Register(string name, nn.Module module)
    {
        register_module(name, module);
        childCount++;
    }

    private void AddGraphStep(FeatureStep step)
    {
        steps.Add(step);
        HasGraphSteps = true;
    }

    private int[] CheckedSlots(int[] slots, string step)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Length == 0)
            throw new InvalidOperationException($"{GetName()}: {step} needs at least one slot");
        foreach (var slot in slots)
        {
            if (slot < 0 || slot >= slotCount)
                throw new InvalidOperationException(
                    $"{GetName()}: {step} names slot {slot}, but the module has {slotCount} slots (SetSlotCount sizes them)");
        }
        return slots.ToArray();
    }

    private static IEnumerable<int> UsedSlots(FeatureStep step) => step switch
    {
        KeepStep keep => keep.Slots,
        RecallStep recall => recall.Slots,
        MergeStep merge => merge.Slots,
        ResizeStep resize => [resize.Slot],
        _ => [],
    };
}
