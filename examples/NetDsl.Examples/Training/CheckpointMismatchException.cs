using System.Text;

namespace NetDsl.Examples.Training;

/// <summary>A checkpoint's parameters do not fit the module it was to be loaded into.</summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    public CheckpointMismatchException(
        string checkpointPath, IReadOnlyList<StateEntry> missing, IReadOnlyList<StateEntry> unexpected,
        IReadOnlyList<(StateEntry InModule, StateEntry InCheckpoint)> differing)
        : base(Describe(checkpointPath, missing, unexpected, differing))
    {
        Missing = missing;
        Unexpected = unexpected;
        Differing = differing;
    }

    /// <summary>Entries the module has and the checkpoint lacks.</summary>
    public IReadOnlyList<StateEntry> Missing { get; }

    /// <summary>Entries the checkpoint has and the module lacks.</summary>
    public IReadOnlyList<StateEntry> Unexpected { get; }

    /// <summary>Entries both have, with a different shape or element type.</summary>
    public IReadOnlyList<(StateEntry InModule, StateEntry InCheckpoint)> Differing { get; }

    /// <summary>Compares the two state dicts; null when they match exactly (keys, shapes, element types).</summary>
    public static CheckpointMismatchException? Compare(
        string checkpointPath, IReadOnlyList<StateEntry> module, IReadOnlyList<StateEntry> checkpoint)
    {
        var inCheckpoint = checkpoint.ToDictionary(e => e.Key);
        var inModule = module.ToDictionary(e => e.Key);
        var missing = module.Where(e => !inCheckpoint.ContainsKey(e.Key)).ToList();
        var unexpected = checkpoint.Where(e => !inModule.ContainsKey(e.Key)).ToList();
        var differing = module
            .Where(e => inCheckpoint.TryGetValue(e.Key, out var saved) && !e.SameLayout(saved))
            .Select(e => (e, inCheckpoint[e.Key]))
            .ToList();
        return missing.Count + unexpected.Count + differing.Count == 0
            ? null
            : new CheckpointMismatchException(checkpointPath, missing, unexpected, differing);
    }

    private static string Describe(
        string path, IReadOnlyList<StateEntry> missing, IReadOnlyList<StateEntry> unexpected,
        IReadOnlyList<(StateEntry InModule, StateEntry InCheckpoint)> differing)
    {
        var text = new StringBuilder($"checkpoint {Path.GetFileName(path)} does not fit this module:");
        foreach (var e in missing)
            text.Append($"\n  missing from checkpoint: {e.Key} {e.ShapeText}");
        foreach (var e in unexpected)
            text.Append($"\n  unexpected in checkpoint: {e.Key} {e.ShapeText}");
        foreach (var (inModule, inCheckpoint) in differing)
            text.Append($"\n  shape mismatch: {inModule.Key} is {inModule.DType} {inModule.ShapeText} in the module, " +
                        $"{inCheckpoint.DType} {inCheckpoint.ShapeText} in the checkpoint");
        return text.ToString();
    }
}
