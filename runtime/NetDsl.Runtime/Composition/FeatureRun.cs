using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// One forward pass of a <see cref="FeatureModule{TInput, TOutput}"/> with graph steps: the current features, the
/// slots, and the rule that a tensor the run created is disposed as soon as neither holds it any more.
/// </summary>
/// <remarks>Tensors are told apart by reference: a module may hand back the very tensor it was given, and the same
/// tensor may sit in several slots. The caller's inputs are never disposed.</remarks>
internal sealed class FeatureRun(string owner, IReadOnlyList<Tensor> inputs, int slotCount)
{
    private readonly Tensor?[] slots = new Tensor?[slotCount];
    private List<Tensor> current = new(inputs);
    // The outputs of the step under way, before they become the current features.
    private List<Tensor> pending = new();

    public void Apply(nn.Module<Tensor, Tensor> module)
    {
        foreach (var feature in current)
            pending.Add(module.call(feature));
        Advance();
    }

    public void Block(GraphBlock block)
    {
        pending.AddRange(block.call(current.ToArray()));
        Advance();
    }

    public void Keep(IReadOnlyList<int> targets)
    {
        if (targets.Count != current.Count)
            throw new InvalidOperationException(
                $"{owner}: a keep step names {targets.Count} slot{(targets.Count == 1 ? "" : "s")} but there " +
                $"{(current.Count == 1 ? "is 1 current feature" : $"are {current.Count} current features")}; the counts must " +
                "match (this is a bug in the code that built the module)");
        var replaced = new List<Tensor>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (slots[targets[i]] is { } previous)
                replaced.Add(previous);
            slots[targets[i]] = current[i];
        }
        Release(replaced);
    }

    public void Recall(IReadOnlyList<int> sources)
    {
        foreach (var slot in sources)
            pending.Add(Slot(slot));
        Advance();
    }

    public void Merge(nn.Module<IReadOnlyList<Tensor>, Tensor> merge, IReadOnlyList<int> sources)
    {
        var parts = new Tensor[sources.Count];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = Slot(sources[i]);
        pending.Add(merge.call(parts));
        Advance();
    }

    public void Resize(int slot, bool bilinear)
    {
        var target = Slot(slot);
        var (height, width) = (target.size(-2), target.size(-1));
        foreach (var feature in current)
        {
            pending.Add(feature.size(-2) == height && feature.size(-1) == width
                ? feature
                : Upsample.Interpolate(feature, [height, width], null, bilinear));
        }
        Advance();
    }

    /// <summary>
    /// The tensors of <paramref name="outputSlots"/>, or the current features when null, for the caller to own: an input,
    /// or a tensor already returned at an earlier position, comes back as an alias. Everything else is disposed.
    /// </summary>
    public IReadOnlyList<Tensor> TakeResults(IReadOnlyList<int>? outputSlots)
    {
        var chosen = outputSlots is null ? current.ToArray() : outputSlots.Select(Slot).ToArray();
        var results = new Tensor[chosen.Length];
        for (var i = 0; i < chosen.Length; i++)
        {
            var tensor = chosen[i];
            results[i] = Contains(inputs, tensor) || IndexOf(chosen, tensor) < i ? tensor.alias() : tensor;
        }
        var held = current.Concat(slots.OfType<Tensor>()).ToList();
        current.Clear();
        Array.Clear(slots);
        for (var i = 0; i < held.Count; i++)
        {
            var tensor = held[i];
            if (!Contains(inputs, tensor) && !Contains(results, tensor) && IndexOf(held, tensor) == i)
                tensor.Dispose();
        }
        return results;
    }

    /// <summary>After a failed step: disposes every tensor the run created and still holds.</summary>
    public void DisposeHeld()
    {
        var held = current.Concat(pending).Concat(slots.OfType<Tensor>()).ToList();
        current.Clear();
        pending.Clear();
        Array.Clear(slots);
        for (var i = 0; i < held.Count; i++)
        {
            if (!Contains(inputs, held[i]) && IndexOf(held, held[i]) == i)
                held[i].Dispose();
        }
    }

    private Tensor Slot(int slot) => slots[slot] ?? throw new InvalidOperationException(
        $"{owner}: slot {slot} is read before anything was kept in it (this is a bug in the code that built the module)");

    // The step's outputs become the current features; the previous ones are released.
    private void Advance()
    {
        (current, pending) = (pending, current);
        Release(pending);
        pending.Clear();
    }

    // Disposes each of candidates, once, that is neither an input nor held by the run.
    private void Release(List<Tensor> candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            var tensor = candidates[i];
            if (Contains(inputs, tensor) || Contains(current, tensor) || Contains(slots, tensor) || IndexOf(candidates, tensor) < i)
                continue;
            tensor.Dispose();
        }
    }

    private static bool Contains(IReadOnlyList<Tensor?> tensors, Tensor tensor) => IndexOf(tensors, tensor) >= 0;

    private static int IndexOf(IReadOnlyList<Tensor?> tensors, Tensor tensor)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (ReferenceEquals(tensors[i], tensor))
                return i;
        }
        return -1;
    }
}
