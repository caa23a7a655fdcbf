using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// CompConv (Zhang et al. 2021), a compact drop-in for a k×k convolution without bias: divide and
/// conquer along the channel axis, so that only a thin "seed" convolution reads the input and the rest
/// of the output is built from what has already been computed.
/// </summary>
/// <remarks>
/// <para>The definition, which the NetDsl checker's cost model uses too, with depth d and
/// P = <see cref="UnitChannels"/>(out, d) = ⌈out / (2·(2^d − 1))⌉:</para>
/// <list type="bullet">
/// <item><description>d = 0: a plain <c>Conv2d(in, out, k, stride, padding: k/2, bias: false)</c>, registered as <c>seed</c>.</description></item>
/// <item><description><c>seed</c>: s = <c>Conv2d(in → P, k, stride, padding: k/2, bias: false)</c>, the only convolution that reads the input.</description></item>
/// <item><description>unit₁ = cat(s, t₁) with t₁ = <c>expand1</c>(s), <c>expand1</c> = <c>Conv2d(P → P, k, 1, padding: k/2, bias: false)</c>.</description></item>
/// <item><description>for i = 2..d: unitᵢ = cat(unitᵢ₋₁, tᵢ) with tᵢ = <c>expand</c>i(unitᵢ₋₁), a
/// <c>Conv2d(2^(i−1)·P → 2^(i−1)·P, k, 1, padding: k/2, bias: false)</c>. unitᵢ has 2^i·P channels; the
/// largest computed piece t_d is the "tailing channels", derived from the computed part instead of copied from the input.</description></item>
/// <item><description>output = cat(unit₁, …, unit_d), which has Σ 2^i·P = 2·(2^d − 1)·P ≥ out channels
/// (<see cref="ComputedChannels"/>); then <see cref="ChannelShuffle"/> with 2 groups (<c>shuffle</c>); then the
/// first <c>out</c> channels are kept (the surplus is trimmed from the end).</description></item>
/// </list>
/// <para>Input <c>[N, in, H, W]</c>, output <c>[N, out, H', W']</c> with H' = ⌊(H − 1) / stride⌋ + 1 (as the
/// plain convolution with padding k/2). Parameters: k²·(in·P + P²·(4^d − 1)/3); MACs per output pixel
/// are the same number, since every convolution runs at the output resolution. At in = out = 512,
/// d = 3 that is about 18 % of the plain convolution.</para>
/// <para>Sub-modules, in order: <c>seed</c>, then for d ≥ 1 <c>expand1</c> … <c>expand</c>d and <c>shuffle</c>.</para>
/// </remarks>
public sealed class CompConv2d : nn.Module<Tensor, Tensor>
{
    /// <summary>The largest supported recursion depth.</summary>
    public const long MaxDepth = 3;

    /// <summary>C0 of the recommended CompConv128 setting, used by <see cref="AdaptiveDepth"/> when the
    /// constructor is given no depth.</summary>
    public const long DefaultC0 = 128;

    private readonly Conv2d seed;
    private readonly Conv2d[] expands;
    private readonly ChannelShuffle? shuffle;

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels (after trimming).</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size k (odd); padding is k/2, so the spatial size only changes with the stride.</summary>
    public long KernelSize { get; }

    /// <summary>Stride of the seed convolution (the expansion convolutions use stride 1).</summary>
    public long Stride { get; }

    /// <summary>Recursion depth d, 0 to <see cref="MaxDepth"/>; 0 is a plain convolution.</summary>
    public long Depth { get; }

    /// <summary>P, the channels of the smallest unit, which the seed convolution outputs:
    /// <see cref="UnitChannels"/>(<see cref="OutChannels"/>, <see cref="Depth"/>).</summary>
    public long SeedChannels { get; }

    /// <summary>Channels computed before trimming: 2·(2^d − 1)·P for d ≥ 1, <see cref="OutChannels"/> for d = 0.</summary>
    public long ComputedChannels { get; }

    /// <summary>Creates a CompConv layer.</summary>
    /// <param name="inChannels">Input channels, at least 1.</param>
    /// <param name="outChannels">Output channels, at least 1.</param>
    /// <param name="kernelSize">Kernel size k, odd and at least 1.</param>
    /// <param name="stride">Stride, at least 1.</param>
    /// <param name="depth">Recursion depth d, 0 to 3; null picks
    /// <see cref="AdaptiveDepth"/>(<paramref name="inChannels"/>, <see cref="DefaultC0"/>) (CompConv128).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public CompConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long? depth = null)
        : base(nameof(CompConv2d))
    {
        if (inChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "compconv needs at least one input channel");
        if (outChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "compconv needs at least one output channel");
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize,
                "compconv's kernel size must be odd and at least 1 (padding k/2 keeps the size)");
        if (stride < 1)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "compconv's stride must be at least 1");
        var d = depth ?? AdaptiveDepth(inChannels, DefaultC0);
        SeedChannels = UnitChannels(outChannels, d); // also rejects a depth outside 0..3

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Depth = d;
        ComputedChannels = d == 0 ? outChannels : 2 * ((1L << (int)d) - 1) * SeedChannels;

        var padding = kernelSize / 2;
        seed = nn.Conv2d(inChannels, SeedChannels, kernelSize, stride: stride, padding: padding, bias: false);
        register_module("seed", seed);
        expands = new Conv2d[d];
        for (var i = 1; i <= d; i++)
        {
            var width = (1L << (i - 1)) * SeedChannels;
            expands[i - 1] = nn.Conv2d(width, width, kernelSize, stride: 1, padding: padding, bias: false);
            register_module($"expand{i}", expands[i - 1]);
        }
        if (d > 0)
        {
            shuffle = new ChannelShuffle(2);
            register_module("shuffle", shuffle);
        }
    }

    /// <summary>
    /// The paper's adaptive depth: d = min(⌊log₂(max(1, in / c0))⌋ + 1, 3), with in / c0 real division.
    /// E.g. with c0 = 128: in = 64 → 1, 256 → 2, 512 → 3, 2048 → 3.
    /// </summary>
    /// <remarks>Computed exactly in integers: for the powers of two involved, in / c0 ≥ 2^j exactly when
    /// ⌊in / c0⌋ ≥ 2^j.</remarks>
    /// <param name="inChannels">Input channels, at least 1.</param>
    /// <param name="c0">The reference width C0, at least 1 (the paper recommends 128).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is below 1.</exception>
    public static long AdaptiveDepth(long inChannels, long c0)
    {
        if (inChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "compconv needs at least one input channel");
        if (c0 < 1)
            throw new ArgumentOutOfRangeException(nameof(c0), c0, "compconv's C0 must be at least 1");
        var ratio = inChannels / c0;
        return ratio >= 4 ? 3 : ratio >= 2 ? 2 : 1;
    }

    /// <summary>
    /// P, the channels of the smallest unit: ⌈out / (2·(2^d − 1))⌉ for d ≥ 1, and <paramref name="outChannels"/>
    /// for d = 0 (a plain convolution), so that k²·(in·P + P²·(4^d − 1)/3) is the parameter count at every depth.
    /// E.g. out = 100, d = 3 → 8 (112 channels computed, 12 trimmed).
    /// </summary>
    /// <param name="outChannels">Output channels, at least 1.</param>
    /// <param name="depth">Recursion depth, 0 to 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated above.</exception>
    public static long UnitChannels(long outChannels, long depth)
    {
        if (outChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "compconv needs at least one output channel");
        ValidateDepth(depth, nameof(depth));
        if (depth == 0)
            return outChannels;
        var perUnit = 2 * ((1L << (int)depth) - 1);
        return (outChannels + perUnit - 1) / perUnit;
    }

    private static void ValidateDepth(long depth, string paramName)
    {
        if (depth < 0 || depth > MaxDepth)
            throw new ArgumentOutOfRangeException(paramName, depth, $"compconv's depth must be between 0 and {MaxDepth}");
    }

    /// <summary>Computes the <c>[N, out, H', W']</c> output from an <c>[N, in, H, W]</c> input.</summary>
    public override Tensor forward(Tensor input)
    {
        if (shuffle is null)
            return seed.call(input);
        var created = new List<Tensor>();
        try
        {
            var unit = Keep(seed.call(input));
            var units = new List<Tensor>(expands.Length);
            foreach (var expand in expands)
            {
                var tail = Keep(expand.call(unit));
                unit = Keep(cat(new[] { unit, tail }, 1));
                units.Add(unit);
            }
            var joined = Keep(cat(units.ToArray(), 1));
            var shuffled = Keep(shuffle.call(joined));
            return ComputedChannels == OutChannels ? shuffled.alias() : shuffled.narrow(1, 0, OutChannels);
        }
        finally
        {
            BlockSupport.DisposeAllExcept(created, input);
        }

        Tensor Keep(Tensor tensor)
        {
            created.Add(tensor);
            return tensor;
        }
    }
}
