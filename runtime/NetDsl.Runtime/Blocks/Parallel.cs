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
/// paths, registered as <c>path1</c>, <c>path2</c>, … in the given order. No parameters of its own.
/// </remarks>
public sealed class Parallel : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] paths;

    /// <summary>How the path outputs are joined.</summary>
    public ParallelMerge Merge { get; }

    /// <summary>The number of paths.</summary>
    public int PathCount => paths.Length;

    /// <summary>Creates a parallel block.</summary>
    /// <param name="merge">Concatenate on channels or sum.</param>
    /// <param name="paths">The paths, at least one; registered as <c>path1</c>, <c>path2</c>, ….</param>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty or contains null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="merge"/> is not a defined value.</exception>
    public Parallel(ParallelMerge merge, params nn.Module<Tensor, Tensor>[] paths) : base(nameof(Parallel))
    {
        if (!Enum.IsDefined(merge))
            throw new ArgumentOutOfRangeException(nameof(merge), merge, "parallel merge must be Concat or Add");
        if (paths.Length == 0)
            throw new ArgumentException("a parallel block needs at least one path", nameof(paths));
        if (paths.Any(p => p is null))
            throw new ArgumentException("a parallel block's paths must not be null", nameof(paths));
        Merge = merge;
        this.paths = paths.ToArray();
        for (var i = 0; i < this.paths.Length; i++)
            register_module(PathName(i), this.paths[i]);
    }

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
                ? BlockSupport.ConcatChannels(outputs, "parallel concat", PathName)
                : Sum(outputs);
        }
        finally
        {
            BlockSupport.DisposeAllExcept(outputs, input);
        }
    }

    private static Tensor Sum(Tensor[] outputs)
    {
        var shape = outputs[0].shape;
        if (outputs.Any(o => !BlockSupport.SameShape(o.shape, shape)))
        {
            var listing = string.Join(", ", outputs.Select((o, i) => $"{PathName(i)} {BlockSupport.Format(o.shape)}"));
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

    private static string PathName(int index) => $"path{index + 1}";
}
