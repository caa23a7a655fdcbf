using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Splits the input's channels into consecutive parts, runs path i on part i, and concatenates the
/// outputs on channels in path order.
/// </summary>
/// <remarks>
/// <para>With split sizes <c>[a, b]</c>, path1 sees channels <c>0 … a−1</c> and path2 channels
/// <c>a … a+b−1</c>. The input must have exactly <see cref="InChannels"/> (the sum of the sizes)
/// channels; the output has the sum of the paths' output channels. ShuffleNetV2's stride-1 unit is
/// <c>new ChannelSplit([c / 2, c / 2], nn.Identity(), branch)</c> followed by a
/// <see cref="ChannelShuffle"/> with two groups.</para>
/// <para>Sub-modules are the paths, registered as <c>path1</c>, <c>path2</c>, … or under their labels (a
/// <c>.nn</c> file's <c>path label { … }</c>). No parameters of its own.</para>
/// </remarks>
public sealed class ChannelSplit : nn.Module<Tensor, Tensor>
{
    private readonly long[] splitSizes;
    private readonly nn.Module<Tensor, Tensor>[] paths;
    private readonly string[] names;

    /// <summary>The channel count of each part, in order.</summary>
    public IReadOnlyList<long> SplitSizes => splitSizes;

    /// <summary>The channel count the input must have: the sum of <see cref="SplitSizes"/>.</summary>
    public long InChannels { get; }

    /// <summary>Creates a channel split.</summary>
    /// <param name="splitSizes">The channels of each part, each at least 1; one per path.</param>
    /// <param name="paths">Path i receives part i; registered as <c>path1</c>, <c>path2</c>, ….</param>
    /// <exception cref="ArgumentException">No parts, a null path, or a different number of sizes and paths.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A split size is below 1.</exception>
    public ChannelSplit(long[] splitSizes, params nn.Module<Tensor, Tensor>[] paths)
        : this(splitSizes, paths.Select(path => ((string?)null, path)).ToArray())
    {
    }

    /// <summary>Creates a channel split whose paths may carry labels.</summary>
    /// <param name="splitSizes">The channels of each part, each at least 1; one per path.</param>
    /// <param name="paths">Path i receives part i; each with its label, or null for the default name
    /// <c>path</c><i>n</i> (<i>n</i> its 1-based position, as in the language).</param>
    /// <exception cref="ArgumentException">No parts, a null path, a different number of sizes and paths,
    /// an empty label, or two paths with the same name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A split size is below 1.</exception>
    public ChannelSplit(long[] splitSizes, IReadOnlyList<(string? Label, nn.Module<Tensor, Tensor> Path)> paths) : base(nameof(ChannelSplit))
    {
        ArgumentNullException.ThrowIfNull(splitSizes);
        ArgumentNullException.ThrowIfNull(paths);
        if (splitSizes.Length == 0)
            throw new ArgumentException("a channel split needs at least one part", nameof(splitSizes));
        if (splitSizes.Length != paths.Count)
            throw new ArgumentException(
                $"a channel split needs one path per part: {splitSizes.Length} split sizes but {paths.Count} paths", nameof(paths));
        if (splitSizes.Any(s => s < 1))
            throw new ArgumentOutOfRangeException(nameof(splitSizes), BlockSupport.Format(splitSizes),
                "every part of a channel split needs at least one channel");
        if (paths.Any(p => p.Path is null))
            throw new ArgumentException("a channel split's paths must not be null", nameof(paths));
        this.splitSizes = splitSizes.ToArray();
        this.paths = paths.Select(p => p.Path).ToArray();
        names = Parallel.NamePaths(paths.Select(p => p.Label).ToArray(), "a channel split", nameof(paths));
        InChannels = splitSizes.Sum();
        for (var i = 0; i < this.paths.Length; i++)
            register_module(names[i], this.paths[i]);
    }

    /// <summary>The state-dict names of the paths, in order (<c>path1</c>, … or their labels).</summary>
    public IReadOnlyList<string> PathNames => names;

    /// <summary>Splits <paramref name="input"/> on channels, runs the paths, concatenates their outputs.</summary>
    /// <exception cref="ArgumentException">The input does not have <see cref="InChannels"/> channels, or
    /// the path outputs differ outside the channel dimension.</exception>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.size(1) != InChannels)
            throw new ArgumentException(
                $"channel split into {BlockSupport.Format(splitSizes)} needs {InChannels} input channels, " +
                $"got input of shape {BlockSupport.Format(input.shape)}");
        var parts = input.split(splitSizes, 1);
        var outputs = new Tensor[paths.Length];
        try
        {
            for (var i = 0; i < paths.Length; i++)
                outputs[i] = paths[i].call(parts[i]);
            return BlockSupport.ConcatChannels(outputs, "channel split", i => names[i]);
        }
        finally
        {
            BlockSupport.DisposeAllExcept((ReadOnlySpan<Tensor?>)[.. outputs, .. parts], input);
        }
    }
}
