using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Runs the convolution kernels that libtorch 2.10's oneDNN got wrong on some AVX-512 virtual machines, once with
/// oneDNN and once with ATen's own kernels, and says whether oneDNN can be trusted on this machine.
/// </summary>
/// <remarks>
/// <para>The three defects seen (see <see cref="TorchEnvironment"/>): 3x3 forward convolutions with 20 or 24 input
/// channels giving wrong outputs, stacked 3x3 convolutions whose weight gradients were non-finite or changed between
/// identical passes on two threads, and the 1x1 stride-2 backward kernel of projection shortcuts leaving parts of
/// input gradients unwritten. Each kernel runs a few times on
/// two threads with oneDNN; every pass must be finite, identical to the first, and agree with ATen's result within
/// float rounding (oneDNN sums in another order).</para>
/// <para>Inputs come from a private generator, so the caller's random stream is untouched; the thread count and
/// grad mode are restored. The shapes are small (one pass: 3 to 6 ms of processor time on one thread), yet large enough
/// (batch above 1, more than one thread) that libtorch picks oneDNN for every call.</para>
/// </remarks>
internal static class OneDnnSelfCheck
{
    /// <summary>oneDNN passes of the stacked kernel: the defect hit 30–90 % of passes on an affected machine
    /// (measured 2 December 2026), so six passes miss it with a chance of about 1 in 64 or less.</summary>
    public const int StackedPasses = 6;

    /// <summary>oneDNN passes of the projection kernel, whose defect hit whole networks rather than every call.</summary>
    public const int ProjectionPasses = 2;

    /// <summary>Relative tolerance against ATen: float sums in another order differ by about 1e-6 of the largest value.</summary>
    public const double Tolerance = 1e-4;

    private const long Seed = 20_10;

    /// <summary>oneDNN passes of the forward kernel, whose defect gave the same wrong result on every pass.</summary>
    public const int ForwardPasses = 2;

    /// <summary>One kernel of the check: its name in messages and the tensors it produces (outputs or gradients).</summary>
    internal sealed record Kernel(string Name, int Passes, Func<Tensor[]> Results);

    /// <summary>Runs the check; <paramref name="setOneDnn"/> switches oneDNN on or off. Leaves oneDNN on.</summary>
    /// <returns>Null when oneDNN agrees with ATen on every kernel and pass, else the first disagreement; the wall-clock
    /// time and the processor time the process spent (on a loaded machine the first says more about the neighbours).</returns>
    public static (string? Disagreement, TimeSpan Duration, TimeSpan ProcessorTime) Run(Action<bool> setOneDnn)
    {
        var clock = Stopwatch.StartNew();
        var processorTime = Process.GetCurrentProcess().TotalProcessorTime;
        var previousThreads = get_num_threads();
        try
        {
            using var scope = NewDisposeScope();
            using var gradMode = enable_grad();
            var generator = new Generator((ulong)Seed);
            string? disagreement = null;
            foreach (var kernel in Kernels(generator))
            {
                // ATen's reference on one thread (it needs no race to be right); oneDNN's passes on two, where it failed.
                set_num_threads(1);
                setOneDnn(false);
                var reference = kernel.Results();
                set_num_threads(2);
                setOneDnn(true);
                var passes = new List<Tensor[]>(kernel.Passes);
                for (var pass = 0; pass < kernel.Passes; pass++)
                    passes.Add(kernel.Results());
                disagreement = Compare(kernel.Name, passes, reference);
                if (disagreement is not null)
                    break;
            }
            setOneDnn(true);
            generator.Dispose();
            return (disagreement, clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - processorTime);
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }

    /// <summary>
    /// The verdict on one kernel: every oneDNN pass finite, identical to the first pass, and within
    /// <see cref="Tolerance"/> (relative to the largest magnitude) of ATen's <paramref name="reference"/>.
    /// </summary>
    /// <returns>Null when all hold, else a sentence naming the kernel, the pass and the gradient.</returns>
    internal static string? Compare(string kernel, IReadOnlyList<Tensor[]> oneDnnPasses, Tensor[] reference)
    {
        for (var pass = 0; pass < oneDnnPasses.Count; pass++)
        {
            for (var i = 0; i < reference.Length; i++)
            {
                var actual = oneDnnPasses[pass][i];
                var where = string.Create(CultureInfo.InvariantCulture, $"{kernel}, result {i + 1}, pass {pass + 1}");
                if (!actual.isfinite().all().item<bool>())
                    return $"{where}: oneDNN gave non-finite values";
                if (pass > 0 && !actual.equal(oneDnnPasses[0][i]).all().item<bool>())
                    return $"{where}: oneDNN gave a different result than on pass 1 for the same input";
                var scale = reference[i].abs().max().item<float>();
                var error = (actual - reference[i]).abs().max().item<float>();
                if (!(error <= Tolerance * Math.Max(scale, 1e-30f)))
                    return string.Create(CultureInfo.InvariantCulture,
                        $"{where}: oneDNN differs from ATen's convolution by {error:G3} (largest value {scale:G3})");
            }
        }
        return null;
    }

    private static IEnumerable<Kernel> Kernels(Generator generator)
    {
        // A plain 3x3 forward convolution with 24 input channels: on an affected machine (7 December 2026) oneDNN's
        // output differed from ATen's by about a quarter of its largest value on every pass, at any batch size, for
        // 20 and 24 input channels (not for 6, 12, 16 or 32). Evaluation-mode outputs of whole networks were wrong.
        var activations = randn(new long[] { 3, 24, 14, 14 }, generator: generator);
        var filters = randn(new long[] { 16, 24, 3, 3 }, generator: generator);
        yield return new Kernel("3x3 convolution forward", ForwardPasses, () =>
        {
            using var noGrad = no_grad();
            return [nn.functional.conv2d(activations, filters, padding: new long[] { 1, 1 })];
        });

        // Two stacked 3x3 convolutions, 3 -> 4 -> 8 channels: on an affected machine the first weight gradient was
        // non-finite or wrong in about half the passes at batch 8 to 100; with 8 -> 16 channels it never was.
        var images = randn(new long[] { 16, 3, 28, 28 }, generator: generator);
        var first = randn(new long[] { 4, 3, 3, 3 }, generator: generator);
        var second = randn(new long[] { 8, 4, 3, 3 }, generator: generator);
        yield return new Kernel("stacked 3x3 convolution backward", StackedPasses, () =>
        {
            var w1 = first.detach().requires_grad_();
            var w2 = second.detach().requires_grad_();
            var hidden = nn.functional.conv2d(images, w1, padding: new long[] { 1, 1 });
            nn.functional.conv2d(hidden, w2, padding: new long[] { 1, 1 }).square().sum().backward();
            return [w1.grad!, w2.grad!];
        });

        // A projection shortcut: 1x1 stride 2 (oneDNN's brgconv_strided), whose input gradient was partly unwritten.
        var features = randn(new long[] { 8, 64, 28, 28 }, generator: generator);
        var projection = randn(new long[] { 128, 64, 1, 1 }, generator: generator);
        yield return new Kernel("1x1 stride-2 convolution backward", ProjectionPasses, () =>
        {
            var x = features.detach().requires_grad_();
            var w = projection.detach().requires_grad_();
            nn.functional.conv2d(x, w, strides: new long[] { 2, 2 }).square().sum().backward();
            return [x.grad!, w.grad!];
        });
    }
}
