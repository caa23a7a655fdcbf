using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>How a state dict's entries were matched to a module's.</summary>
public enum WeightMapMode
{
    /// <summary>The state dict uses the module's own keys.</summary>
    ByName,

    /// <summary>The keys differ (torchvision's, timm's, ...): entries pair up by position in PyTorch's order.</summary>
    ByStructure,
}

/// <summary>One module entry and the state-dict entry that fills it.</summary>
/// <param name="Target">The module's own tensor, overwritten by <see cref="WeightMap.Apply"/>.</param>
/// <param name="Source">The entry read from the file.</param>
public sealed record WeightPair(NamedTensor Target, NamedTensor Source);

/// <summary>
/// A checked plan to copy a state dict into a module: every module entry paired with a source entry of the
/// same shape and element type, every value finite. <see cref="Plan"/> refuses anything else, before a
/// single value is copied.
/// </summary>
public sealed class WeightMap
{
    private const string BatchCounter = "num_batches_tracked";

    private WeightMap(WeightMapMode mode, IReadOnlyList<WeightPair> pairs, IReadOnlyList<string> notes)
    {
        Mode = mode;
        Pairs = pairs;
        Notes = notes;
    }

    /// <summary>By name or by structure.</summary>
    public WeightMapMode Mode { get; }

    /// <summary>Every module entry that will be filled, in PyTorch's order of the module.</summary>
    public IReadOnlyList<WeightPair> Pairs { get; }

    /// <summary>Batch-norm counters (<c>num_batches_tracked</c>) one side has and the other lacks.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// Pairs <paramref name="source"/>'s entries with <paramref name="module"/>'s. When the non-counter keys
    /// are the module's own they pair by name; otherwise by position, both sides in PyTorch's order (module by
    /// module: parameters, buffers, children). Batch-norm counters follow their layer: a counter the file
    /// lacks keeps the module's value, one the module lacks is ignored.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="source">The file's entries, in its order.</param>
    /// <param name="sourceName">How messages name the file.</param>
    /// <exception cref="WeightMismatchException">Counts, shapes or element types differ, or a value is not finite.</exception>
    public static WeightMap Plan(nn.Module module, IReadOnlyList<NamedTensor> source, string sourceName)
    {
        var target = ModuleState.InPyTorchOrder(module);
        var targetMain = target.Where(e => !IsCounter(e.Key)).ToList();
        var sourceMain = source.Where(e => !IsCounter(e.Key)).ToList();
        var sourceByKey = source.ToDictionary(e => e.Key, StringComparer.Ordinal);

        var byName = targetMain.Count == sourceMain.Count && targetMain.All(e => sourceByKey.ContainsKey(e.Key) && !IsCounter(e.Key));
        List<WeightPair> pairs;
        if (byName)
        {
            pairs = targetMain.Select(e => new WeightPair(e, sourceByKey[e.Key])).ToList();
        }
        else
        {
            if (targetMain.Count != sourceMain.Count)
                throw new WeightMismatchException(
                    $"{sourceName} has {sourceMain.Count} parameters and buffers, the module {targetMain.Count} (batch-norm counters aside), " +
                    $"and its keys are not the module's: {FirstDifference(targetMain, sourceMain)}");
            pairs = targetMain.Zip(sourceMain, (t, s) => new WeightPair(t, s)).ToList();
        }
        CheckLayouts(pairs, sourceName, byName);

        // Counters: paired through their batch-norm layer's mapping.
        var notes = new List<string>();
        var sourceLayerOf = pairs.GroupBy(p => Owner(p.Target.Key)).ToDictionary(g => g.Key, g => Owner(g.First().Source.Key), StringComparer.Ordinal);
        var usedCounters = new HashSet<string>(StringComparer.Ordinal);
        foreach (var counter in target.Where(e => IsCounter(e.Key)))
        {
            var layer = Owner(counter.Key);
            var sourceKey = sourceLayerOf.TryGetValue(layer, out var sourceLayer) ? Join(sourceLayer, BatchCounter) : null;
            if (sourceKey is not null && sourceByKey.TryGetValue(sourceKey, out var sourceCounter))
            {
                pairs.Add(new WeightPair(counter, sourceCounter));
                usedCounters.Add(sourceKey);
            }
            else
            {
                notes.Add($"{counter.Key}: not in {sourceName}, kept");
            }
        }
        foreach (var unused in source.Where(e => IsCounter(e.Key) && !usedCounters.Contains(e.Key)))
            notes.Add($"{unused.Key}: no such counter in the module, ignored");
        CheckLayouts(pairs.Where(p => IsCounter(p.Target.Key)).ToList(), sourceName, byName);
        CheckFinite(pairs, sourceName);

        var order = target.Select((e, i) => (e.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        return new WeightMap(byName ? WeightMapMode.ByName : WeightMapMode.ByStructure, pairs.OrderBy(p => order[p.Target.Key]).ToList(), notes);
    }

    /// <summary>Copies every source value into the module (no gradients recorded).</summary>
    public void Apply()
    {
        using var noGrad = no_grad();
        foreach (var pair in Pairs)
            pair.Target.Tensor.copy_(pair.Source.Tensor);
    }

    /// <summary>The mapping, one line per entry ("module key  ←  file key  [shape]"), then the notes.</summary>
    public string Describe()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Pairs.Count} entries mapped {(Mode == WeightMapMode.ByName ? "by name" : "by structure (position in PyTorch's order)")}:\n");
        var width = Pairs.Count == 0 ? 0 : Pairs.Max(p => p.Target.Key.Length);
        foreach (var pair in Pairs)
            text.Append(CultureInfo.InvariantCulture, $"  {pair.Target.Key.PadRight(width)}  <-  {pair.Source.Key}  {pair.Target.Tensor.dtype} {pair.Target.ShapeText}\n");
        foreach (var note in Notes)
            text.Append(CultureInfo.InvariantCulture, $"  note: {note}\n");
        return text.ToString();
    }

    private static void CheckLayouts(IReadOnlyList<WeightPair> pairs, string sourceName, bool byName)
    {
        var differing = pairs
            .Select((p, i) => (Pair: p, Index: i))
            .Where(x => x.Pair.Target.Tensor.dtype != x.Pair.Source.Tensor.dtype || !x.Pair.Target.Tensor.shape.SequenceEqual(x.Pair.Source.Tensor.shape))
            .ToList();
        if (differing.Count == 0)
            return;
        var first = string.Join("; ", differing.Take(3).Select(x => byName
            ? $"{x.Pair.Target.Key} is {x.Pair.Target.Tensor.dtype} {x.Pair.Target.ShapeText} in the module, {x.Pair.Source.Tensor.dtype} {x.Pair.Source.ShapeText} in the file"
            : $"entry {x.Index + 1}: module {x.Pair.Target} <- file {x.Pair.Source}"));
        throw new WeightMismatchException($"{sourceName} does not fit the module ({differing.Count} entries differ in shape or element type): {first}");
    }

    private static void CheckFinite(IReadOnlyList<WeightPair> pairs, string sourceName)
    {
        foreach (var pair in pairs)
        {
            var tensor = pair.Source.Tensor;
            if (!tensor.is_floating_point())
                continue;
            using var finite = isfinite(tensor).all();
            if (!finite.item<bool>())
                throw new WeightMismatchException($"{sourceName} has non-finite values (NaN or infinity) in {pair.Source.Key}");
        }
    }

    private static string FirstDifference(IReadOnlyList<NamedTensor> target, IReadOnlyList<NamedTensor> source)
    {
        for (var i = 0; i < Math.Min(target.Count, source.Count); i++)
        {
            if (!target[i].Tensor.shape.SequenceEqual(source[i].Tensor.shape) || target[i].Tensor.dtype != source[i].Tensor.dtype)
                return $"first difference at entry {i + 1}: module {target[i]}, file {source[i]}";
        }
        var longer = target.Count > source.Count ? $"the module's {target[source.Count]}" : $"the file's {source[target.Count]}";
        return $"the first {Math.Min(target.Count, source.Count)} entries fit, then {longer} has no counterpart";
    }

    private static bool IsCounter(string key) => key == BatchCounter || key.EndsWith("." + BatchCounter, StringComparison.Ordinal);

    private static string Owner(string key) => key.LastIndexOf('.') is var dot and >= 0 ? key[..dot] : "";

    private static string Join(string owner, string name) => owner.Length == 0 ? name : owner + "." + name;
}
