using System.Text;

namespace NetDsl.Examples.Training;

/// <summary>How a checkpoint's state dict differs from the module it was to be loaded into.</summary>
public sealed record StateLayoutMismatch(
    IReadOnlyList<StateEntry> Missing, IReadOnlyList<StateEntry> Unexpected,
    IReadOnlyList<(StateEntry InModule, StateEntry InCheckpoint)> Differing)
{
    /// <summary>Compares the two state dicts; null when they match exactly (keys, shapes, element types).</summary>
    public static StateLayoutMismatch? Compare(IReadOnlyList<StateEntry> module, IReadOnlyList<StateEntry> checkpoint)
    {
        var inCheckpoint = checkpoint.ToDictionary(e => e.Key);
        var inModule = module.ToDictionary(e => e.Key);
        var missing = module.Where(e => !inCheckpoint.ContainsKey(e.Key)).ToList();
        var unexpected = checkpoint.Where(e => !inModule.ContainsKey(e.Key)).ToList();
        var differing = module
            .Where(e => inCheckpoint.TryGetValue(e.Key, out var saved) && !e.SameLayout(saved))
            .Select(e => (e, inCheckpoint[e.Key]))
            .ToList();
        return missing.Count + unexpected.Count + differing.Count == 0 ? null : new StateLayoutMismatch(missing, unexpected, differing);
    }

    /// <summary>One indented line per difference.</summary>
    public string Details()
    {
        var text = new StringBuilder();
        foreach (var e in Missing)
            text.Append($"\n  missing from checkpoint: {e.Key} {e.ShapeText}");
        foreach (var e in Unexpected)
            text.Append($"\n  unexpected in checkpoint: {e.Key} {e.ShapeText}");
        foreach (var (inModule, inCheckpoint) in Differing)
            text.Append($"\n  shape mismatch: {inModule.Key} is {inModule.DType} {inModule.ShapeText} in the module, " +
                        $"{inCheckpoint.DType} {inCheckpoint.ShapeText} in the checkpoint");
        return text.ToString();
    }
}
