using NetDsl.Bench.Generator;
using NetDsl.Bench.Harness;
using NetDsl.Bench.Models;
using NetDsl.Bench.PyTorch;

namespace NetDsl.Bench.Report;

/// <summary>Prints the tables, then one line per figure, then the goals with met / not met.</summary>
public sealed class BenchReport(TextWriter output)
{
    /// <summary>The issue's goal for generated / hand-written time.</summary>
    public const double RatioGoal = 1.03;

    public void PrintModels(IReadOnlyList<ModelResult> results, PairedTiming? noiseFloor, ModelCase? noiseFloorCase)
    {
        output.WriteLine();
        output.WriteLine($"Generated vs hand-written, batch {ModelBenchmark.BatchSize}: median per-call time ± half the interquartile range;");
        output.WriteLine("ratio = generated / hand-written, median of the per-round ratios [quartiles]");
        output.WriteLine();
        var table = new ResultTable("model", "input", "parameters", "max abs diff", "forward hand / generated", "ratio",
            "fwd+bwd hand / generated", "ratio", "managed bytes per forward hand / generated");
        foreach (var r in results)
        {
            table.Add(r.Case.Name, r.Case.InputText, Format.Count(r.GeneratedParameters),
                Format.Number(r.Equivalence.Largest, "0.###E+0"),
                $"{Time(r.Forward.Baseline)} / {Time(r.Forward.Candidate)}", RatioWithQuartiles(r.Forward.Ratio),
                $"{Time(r.ForwardBackward.Baseline)} / {Time(r.ForwardBackward.Candidate)}", RatioWithQuartiles(r.ForwardBackward.Ratio),
                $"{Format.Bytes(r.HandWrittenForwardBytes)} / {Format.Bytes(r.GeneratedForwardBytes)}");
        }
        table.Print(output);

        output.WriteLine();
        foreach (var r in results)
        {
            var name = r.Case.Name;
            output.WriteLine($"{name} parameters: hand-written {Format.Count(r.HandWrittenParameters)}, generated {Format.Count(r.GeneratedParameters)}, reference {Format.Count(r.Case.ExpectedParameters)}; {r.TensorsCopied} tensors copied by position");
            output.WriteLine($"{name} max abs diff: eval output {Diff(r.Equivalence.EvalOutput)}, train output {Diff(r.Equivalence.TrainOutput)}, gradients {Diff(r.Equivalence.Gradients)} (largest output {Format.Number(r.Equivalence.OutputScale, "0.###")})");
            output.WriteLine(TimingLine($"{name} forward", r.Forward));
            output.WriteLine(TimingLine($"{name} forward+backward", r.ForwardBackward));
            output.WriteLine($"{name} managed allocations per forward: hand-written {Format.Bytes(r.HandWrittenForwardBytes)}, generated {Format.Bytes(r.GeneratedForwardBytes)}");
        }
        if (noiseFloor is not null && noiseFloorCase is not null)
            output.WriteLine($"noise floor ({noiseFloorCase.Name} hand-written against a second instance of itself, forward): " +
                $"{Time(noiseFloor.Baseline)} / {Time(noiseFloor.Candidate)}, ratio {RatioWithQuartiles(noiseFloor.Ratio)} over {noiseFloor.Ratio.Count} rounds");
    }

    public void PrintInference(IReadOnlyList<InferenceResult> results)
    {
        output.WriteLine();
        output.WriteLine($"ForInference() against the hand-written unfused module, eval mode, batch {ModelBenchmark.BatchSize}; " +
            "speed-up = hand-written / prepared, from the median of the per-round ratios [quartiles]");
        output.WriteLine();
        var table = new ResultTable("model", "max rel diff", "forward hand / prepared", "speed-up",
            "forward hand / prepared channels-last", "speed-up");
        foreach (var r in results)
            table.Add(r.Case.Name, Diff(r.RelativeDifference),
                $"{Time(r.Contiguous.Baseline)} / {Time(r.Contiguous.Candidate)}", Speedup(r.Contiguous.Ratio),
                $"{Time(r.ChannelsLast.Baseline)} / {Time(r.ChannelsLast.Candidate)}", Speedup(r.ChannelsLast.Ratio));
        table.Print(output);
    }

    public void PrintPyTorch(IReadOnlyList<YardstickResult> results, string pytorchVersion)
    {
        output.WriteLine();
        output.WriteLine($"NetDsl (generated zoo module) against PyTorch eager {pytorchVersion} (torchvision's module, else the emitted PyTorch code), batch {ModelBenchmark.BatchSize}, " +
            "same threads; ratio = NetDsl / PyTorch, median of the per-round ratios [quartiles]");
        output.WriteLine();
        var table = new ResultTable("model", "input", "parameters NetDsl / PyTorch", "forward PyTorch / NetDsl", "ratio",
            "fwd+bwd PyTorch / NetDsl", "ratio");
        foreach (var r in results)
            table.Add(r.Model, r.InputText, $"{Format.Count(r.NetDslParameters)} / {Format.Count(r.PyTorchParameters)}",
                $"{Time(r.Forward.Baseline)} / {Time(r.Forward.Candidate)}", RatioWithQuartiles(r.Forward.Ratio),
                $"{Time(r.ForwardBackward.Baseline)} / {Time(r.ForwardBackward.Candidate)}", RatioWithQuartiles(r.ForwardBackward.Ratio));
        table.Print(output);
    }

    public void PrintPyTorchGoals(IReadOnlyList<YardstickResult> results)
    {
        foreach (var r in results)
        {
            output.WriteLine($"{r.Model} NetDsl / PyTorch forward <= 1.00: {(r.Forward.Ratio.Median <= 1 ? "met" : "NOT met")} ({RatioWithQuartiles(r.Forward.Ratio)})");
            output.WriteLine($"{r.Model} NetDsl / PyTorch forward+backward <= 1.00: {(r.ForwardBackward.Ratio.Median <= 1 ? "met" : "NOT met")} ({RatioWithQuartiles(r.ForwardBackward.Ratio)})");
            output.WriteLine($"{r.Model} parameter counts equal: {(r.NetDslParameters == r.PyTorchParameters ? "met" : "NOT met")} ({Format.Count(r.NetDslParameters)} / {Format.Count(r.PyTorchParameters)})");
        }
    }

    public void PrintInferenceGoals(IReadOnlyList<InferenceResult> results)
    {
        foreach (var r in results)
        {
            output.WriteLine($"{r.Case.Name} ForInference() at least {Format.Number(InferenceResult.SpeedupGoal, "0.0")}x faster than hand-written: " +
                $"{(r.BestSpeedup >= InferenceResult.SpeedupGoal ? "met" : "NOT met")} ({Format.Number(r.BestSpeedup, "0.00")}x, {r.BestLayout})");
            output.WriteLine($"{r.Case.Name} ForInference() outputs within {InferenceResult.Tolerance:G} relative: " +
                $"{(r.RelativeDifference <= InferenceResult.Tolerance ? "met" : "NOT met")} ({Diff(r.RelativeDifference)})");
        }
    }

    private static string Speedup(Summary ratio) =>
        $"{Format.Number(1 / ratio.Median, "0.00")}x [{Format.Number(1 / ratio.UpperQuartile, "0.00")}–{Format.Number(1 / ratio.LowerQuartile, "0.00")}]";

    public void PrintLanguage(LanguagePhases phases, LanguageThroughput throughput)
    {
        output.WriteLine();
        output.WriteLine($"Language library (NetDsl.Language, no Roslyn), whole zoo: {phases.Files} .nn files -> {phases.GeneratedFiles} generated files, {Format.Count(phases.GeneratedChars)} characters of C#");
        output.WriteLine($"zoo parse + check + emit: {Time(phases.Total)} (parse {Time(phases.Parse)}, check {Time(phases.Check)}, emit {Time(phases.Emit)}); first run in the process {Format.Ms(phases.FirstRunMs)}");
        output.WriteLine($"parse + check throughput: {Format.Number(throughput.FilesPerSecond, "N0")} files/s ({Format.Count(throughput.Files)} files in {Format.Number(throughput.Seconds, "0.00")} s)");
    }

    public void PrintIncremental(IncrementalResult result)
    {
        output.WriteLine();
        output.WriteLine($"Incremental generator (NetDslGenerator under CSharpGeneratorDriver, {result.GeneratedFiles} generated files); edit of {result.EditedFile}: {result.Edit}");
        output.WriteLine($"generator cold run: {Time(result.ColdMs)}; steps: {Steps(result.ColdSteps)}");
        output.WriteLine($"generator after one edit: {Time(result.IncrementalMs)} = {Format.Ratio(result.IncrementalMs.Median / result.ColdMs.Median)} x cold; steps: {Steps(result.IncrementalSteps)}; re-emitted {result.ReemittedFiles} of {result.GeneratedFiles} files");
        output.WriteLine($"steps that reran after the edit: {string.Join(", ", result.IncrementalSteps.RerunSteps)}");
    }

    /// <param name="noiseFloor">The A/A ratio: when it strays from 1 by more than the goal's margin, no ratio of
    /// this run can say whether the goal is met.</param>
    public void PrintGoals(IReadOnlyList<ModelResult> results, PairedTiming noiseFloor)
    {
        output.WriteLine();
        output.WriteLine("Goals");
        var margin = RatioGoal - 1;
        var resolution = Math.Max(Math.Abs(noiseFloor.Ratio.Median - 1),
            Math.Max(1 - noiseFloor.Ratio.LowerQuartile, noiseFloor.Ratio.UpperQuartile - 1));
        var undecided = resolution > margin
            ? $"not decided: the noise floor strays {Format.Percent(resolution)} from 1, more than the goal's {Format.Percent(margin)}"
            : null;
        foreach (var r in results)
        {
            output.WriteLine(RatioGoalLine($"{r.Case.Name} forward", r.Forward.Ratio, undecided));
            output.WriteLine(RatioGoalLine($"{r.Case.Name} forward+backward", r.ForwardBackward.Ratio, undecided));
            output.WriteLine($"{r.Case.Name} identical outputs for identical weights (max abs diff <= 1e-6): {(r.Equivalence.Holds ? "met" : "NOT met")} ({Diff(r.Equivalence.Largest)})");
            output.WriteLine($"{r.Case.Name} parameter count equals the reference: {(r.GeneratedParameters == r.Case.ExpectedParameters && r.HandWrittenParameters == r.Case.ExpectedParameters ? "met" : "NOT met")}");
        }
    }

    /// <summary>ONNX Runtime against TorchSharp: a figure, not a goal (ratio below 1: ONNX Runtime is faster).</summary>
    public void PrintOnnxRuntime(IReadOnlyList<OnnxRuntimeResult> results)
    {
        output.WriteLine();
        output.WriteLine("ONNX Runtime against TorchSharp, eval forward (ratio = ONNX Runtime / TorchSharp)");
        var table = new ResultTable("model", "batch", "TorchSharp", "ONNX Runtime", "ratio [quartiles]", "rounds", "max rel. diff");
        foreach (var r in results)
            table.Add(r.Model, r.Batch.ToString(System.Globalization.CultureInfo.InvariantCulture), Time(r.Timing.Baseline), Time(r.Timing.Candidate),
                RatioWithQuartiles(r.Timing.Ratio), r.Timing.Ratio.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Diff(r.MaxRelativeDifference));
        table.Print(output);
    }

    private static string RatioGoalLine(string figure, Summary ratio, string? undecided) =>
        $"{figure} ratio <= {Format.Ratio(RatioGoal)}: {undecided ?? (ratio.Median <= RatioGoal ? "met" : "NOT met")} ({RatioWithQuartiles(ratio)})";

    private static string TimingLine(string figure, PairedTiming timing) =>
        $"{figure}: hand-written {Time(timing.Baseline)}, generated {Time(timing.Candidate)}, ratio {RatioWithQuartiles(timing.Ratio)} over {timing.Ratio.Count} rounds";

    private static string Time(Summary summary) => $"{Format.Ms(summary.Median)} ±{Format.Percent(summary.RelativeSpread)}";

    private static string RatioWithQuartiles(Summary ratio) =>
        $"{Format.Ratio(ratio.Median)} [{Format.Ratio(ratio.LowerQuartile)}–{Format.Ratio(ratio.UpperQuartile)}]";

    private static string Diff(double value) => value == 0 ? "0" : Format.Number(value, "0.###E+0");

    private static string Steps(StepCounts counts) =>
        $"{counts.Rerun} outputs New/Modified, {counts.Reused} Cached/Unchanged" + (counts.Removed > 0 ? $", {counts.Removed} Removed" : "");
}
