using NetDsl.Bench.Harness;

namespace NetDsl.Bench;

/// <summary>The command line: <c>--quick</c> for a short development run, <c>--threads N</c> for libtorch's
/// intra-op threads (default: libtorch's own choice; PyTorch gets the same count), <c>--skip-models</c> /
/// <c>--skip-generator</c> / <c>--skip-inference</c> / <c>--skip-pytorch</c> / <c>--skip-onnx</c> / <c>--skip-editor</c> to leave a part out, <c>--python PATH</c>
/// for the Python with torch and torchvision (default <c>/usr/bin/python3</c>, Debian's).</summary>
public sealed record BenchOptions(bool Quick, int? Threads, bool SkipModels, bool SkipGenerator,
    bool SkipInference = false, bool SkipPyTorch = false, bool SkipOnnx = false, bool SkipEditor = false, string Python = BenchOptions.DefaultPython)
{
    /// <summary>Debian's python3, which sees python3-torch and python3-torchvision.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>Each side of a round runs about this long, so a round is not one noisy call, yet the two sides of a
    /// round stay close in time.</summary>
    public double RoundMilliseconds => Quick ? 60 : 250;

    /// <summary>Wall-clock budget of one timed figure (both sides, all rounds), so the whole run stays under
    /// ten minutes even where a training step takes seconds.</summary>
    public double FigureBudgetMilliseconds => Quick ? 5_000 : 30_000;

    public int MinRounds => Quick ? 3 : 5;

    public int MaxRounds => Quick ? 3 : 20;

    public int WarmupCalls => Quick ? 1 : 3;

    public int AllocationSamples => Quick ? 3 : 9;

    /// <summary>Repeats of the whole zoo for the language library's throughput figure (the issue asks for 100).</summary>
    public int ZooRepeats => Quick ? 10 : 100;

    /// <summary>Cold and incremental generator runs, each timed separately.</summary>
    public int GeneratorRuns => Quick ? 3 : 15;

    /// <summary>Timed edits for the language server's diagnostics latency.</summary>
    public int EditorEdits => Quick ? 20 : 100;

    public static BenchOptions Parse(string[] args)
    {
        int? threads = null;
        var index = Array.IndexOf(args, "--threads");
        if (index >= 0)
        {
            if (index + 1 >= args.Length || !int.TryParse(args[index + 1], out var count) || count < 1)
                throw new ArgumentException("--threads needs a positive whole number");
            threads = count;
        }
        var python = DefaultPython;
        var pythonIndex = Array.IndexOf(args, "--python");
        if (pythonIndex >= 0)
        {
            if (pythonIndex + 1 >= args.Length || args[pythonIndex + 1].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException("--python needs the path of a Python with torch and torchvision");
            python = args[pythonIndex + 1];
        }
        var known = new[] { "--quick", "--threads", "--skip-models", "--skip-generator", "--skip-inference", "--skip-pytorch", "--skip-onnx", "--skip-editor", "--python" };
        var unknown = args.Where((a, i) => a.StartsWith("--", StringComparison.Ordinal) && !known.Contains(a)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"unknown option {unknown[0]}; options: {string.Join(" ", known)}");
        return new BenchOptions(args.Contains("--quick"), threads, args.Contains("--skip-models"), args.Contains("--skip-generator"),
            args.Contains("--skip-inference"), args.Contains("--skip-pytorch"), args.Contains("--skip-onnx"), args.Contains("--skip-editor"), python);
    }

    /// <summary>
    /// A plan from one timed call (after one untimed call: the first pays for JIT and libtorch's set-up): rounds of
    /// about <see cref="RoundMilliseconds"/> per side, as many as fit <see cref="FigureBudgetMilliseconds"/> within
    /// <see cref="MinRounds"/>..<see cref="MaxRounds"/>, and fewer warm-up calls for calls that take seconds.
    /// </summary>
    public TimingPlan PlanFor(Action call)
    {
        call();
        var callMs = Math.Max(PairedTimer.TimePerCall(call, 1), 0.001);
        var callsPerRound = (int)Math.Clamp(Math.Round(RoundMilliseconds / callMs), 1, 1000);
        var roundMs = 2 * callsPerRound * callMs;
        var rounds = (int)Math.Clamp(Math.Floor(FigureBudgetMilliseconds / roundMs), MinRounds, MaxRounds);
        var warmup = callMs > 1000 ? 1 : WarmupCalls;
        return new TimingPlan(warmup, rounds, callsPerRound);
    }
}
