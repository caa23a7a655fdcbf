using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>How <see cref="Parallel"/> joins the outputs of its paths.</summary>
public enum ParallelMerge
{
    /// <summary>Concatenate on channels (dimension 1), in path order (Inception, the multi-path module).
    /// The outputs must agree on every other dimension.</summary>
    Concat,

    /// <summary>Sum element-wise. The outputs must have identical shapes.</summary>
    Add,
}

/// <summary>
/// Runs several paths on the same input and merges their outputs: <c>cat([p1(x), p2(x), …], dim: 1)</c>
/// or <c>p1(x) + p2(x) + …</c>, as chosen by <see cref="Merge"/>.
/// </summary>
/// <remarks>
/// Every path sees the whole input. With <see cref="ParallelMerge.Concat"/> the output has the sum of the
/// paths' channels; with <see cref="ParallelMerge.Add"/> it has the common shape. Sub-modules are the
/// paths, registered as <c>path1</c>, <c>path2</c>, … in the given order, or under their labels (a
/// <c>.nn</c> file's <c>path label { … }</c>). No parameters of its own.
/// </remarks>
public sealed class Parallel : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] paths;
    private readonly string[] names;

    /// <summary>How the path outputs are joined.</summary>
    public ParallelMerge Merge { get; }

    /// <summary>The number of paths.</summary>
    public int PathCount => paths.Length;

    /// <summary>Creates a parallel block.</summary>
    /// <param name="merge">Concatenate on channels or sum.</param>
    /// <param name="paths">The paths, at least one; registered as <c>path1</c>, <c>path2</c>, ….</param>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty or contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="merge"/> is not a defined value.</exception>
    public Parallel(ParallelMerge merge, params nn.Module<Tensor, Tensor>[] paths)
        : this(merge, paths.Select(path => ((string?)null, path)).ToArray())
    {
    }

    /// <summary>Creates a parallel block whose paths may carry labels.</summary>
    /// <param name="merge">Concatenate on channels or sum.</param>
    /// <param name="paths">The paths, at least one, each with its label, or null for the default name
    /// <c>path</c><i>n</i> (<i>n</i> its 1-based position, as in the language).</param>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty, contains a null path or an
    /// empty label, or two paths end up with the same name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="merge"/> is not a defined value.</exception>
    public Parallel(ParallelMerge merge, IReadOnlyList<(string? Label, nn.Module<Tensor, Tensor> Path)> paths) : base(nameof(Parallel))
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!Enum.IsDefined(merge))
            throw new ArgumentOutOfRangeException(nameof(merge), merge, "parallel merge must be Concat or Add");
        if (paths.Count == 0)
            throw new ArgumentException("a parallel block needs at least one path", nameof(paths));
        if (paths.Any(p => p.Path is null))
            throw new ArgumentException("a parallel block's paths must not be null", nameof(paths));
        Merge = merge;
        this.paths = paths.Select(p => p.Path).ToArray();
        names = NamePaths(paths.Select(p => p.Label).ToArray(), "a parallel block", nameof(paths));
        for (var i = 0; i < this.paths.Length; i++)
            register_module(names[i], this.paths[i]);
    }

    /// <summary>The state-dict names of the paths, in order (<c>path1</c>, … or their labels).</summary>
    public IReadOnlyList<string> PathNames => names;

    /// <summary>Runs every path on <paramref name="input"/> and merges the outputs.</summary>
    /// <exception cref="ArgumentException">The outputs cannot be merged (shapes differ where they must
    /// agree); the message names each path and its output shape.</exception>
    public override Tensor forward(Tensor input)
    {
        var outputs = new Tensor[paths.Length];
        try
        {
            for (var i = 0; i < paths.Length; i++)
                outputs[i] = paths[i].call(input);
            return Merge == ParallelMerge.Concat
                ? BlockSupport.ConcatChannels(outputs, "parallel concat", i => names[i])
                : Sum(outputs);
        }
        finally
        {
            BlockSupport.DisposeAllExcept(outputs, input);
        }
    }

    private Tensor Sum(Tensor[] outputs)
    {
        if (outputs.Any(o => !BlockSupport.SameShape(o, outputs[0])))
        {
            var listing = string.Join(", ", outputs.Select((o, i) => $"{names[i]} {BlockSupport.Format(o.shape)}"));
            throw new ArgumentException($"parallel add: every path must give the same shape, but got {listing}");
        }
        var sum = outputs[0].alias();
        for (var i = 1; i < outputs.Length; i++)
        {
            var next = sum.add(outputs[i]);
            sum.Dispose();
            sum = next;
        }
        return sum;
    }

    /// <summary>
    /// The state-dict names of paths (shared with <see cref="ChannelSplit"/>): each label, or <c>path</c><i>n</i>
    /// for an unlabelled path at 1-based position <i>n</i>, the numbering of the language and its checker.
    /// </summary>
    /// <exception cref="ArgumentException">A label is empty, or two paths get the same name.</exception>
    internal static string[] NamePaths(IReadOnlyList<string?> labels, string owner, string parameterName)
    {
        var names = labels.Select((label, i) => label ?? $"path{i + 1}").ToArray();
        if (names.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{owner}'s path labels must not be empty", parameterName);
        var duplicate = names.GroupBy(name => name).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{owner} has two paths named '{duplicate.Key}'", parameterName);
        return names;
    }
}
