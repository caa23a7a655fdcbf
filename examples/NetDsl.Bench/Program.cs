// NetDsl benchmark: generated TorchSharp modules against hand-written ones, and the generator's own cost,
// measured side by side in one run. See docs/benchmarks.md.
using System.Diagnostics;
using NetDsl.Bench;
using NetDsl.Bench.Editor;
using NetDsl.Bench.Generator;
using NetDsl.Bench.Harness;
using NetDsl.Bench.Models;
using NetDsl.Bench.Report;
using TorchSharp;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Threads is { } threads)
    torch.set_num_threads(threads);

var clock = Stopwatch.StartNew();
var report = new BenchReport(Console.Out);
Console.WriteLine($"NetDsl benchmark ({(options.Quick ? "quick development run: few rounds, figures are rough" : "full run")})");
foreach (var line in MachineInfo.Current().Lines())
    Console.WriteLine(line);
Console.WriteLine($"load average at start: {MachineInfo.LoadAverage()}");

if (!options.SkipGenerator)
{
    var zoo = ZooSources.Load();
    var language = new LanguageBenchmark(zoo);
    var phases = language.MeasurePhases(options.GeneratorRuns);
    var throughput = language.MeasureThroughput(options.ZooRepeats);
    report.PrintLanguage(phases, throughput);

    // A real edit: MultiPathNet's default width, which changes that network and its variants, nothing else.
    var incremental = new IncrementalGeneratorBenchmark(zoo)
        .Measure("multipath.nn", "base: int = 10,", "base: int = 12,", options.GeneratorRuns);
    report.PrintIncremental(incremental);
}

if (!options.SkipEditor)
{
    // The language server: how soon an editor shows diagnostics after an edit (goal: within 100 ms).
    var latency = await DiagnosticsLatencyBenchmark.MeasureAsync(ZooSources.Directory, options.EditorEdits);
    Console.WriteLine();
    Console.WriteLine($"Language server (netdsl lsp, in-process, the zoo's {latency.Files} files as the workspace): diagnostics after an edit of mobilenet_v2.nn, " +
        $"{latency.Edits} edits, debounce {latency.Debounce.TotalMilliseconds:0} ms included: median {latency.MedianMs:0.0} ms, 90th percentile {latency.P90Ms:0.0} ms, max {latency.MaxMs:0.0} ms " +
        $"(goal 100 ms: {(latency.P90Ms <= 100 ? "met" : "not met")} at the 90th percentile)");
}

var results = new List<ModelResult>();
if (!options.SkipModels)
{
    var benchmark = new ModelBenchmark(options);
    foreach (var model in ModelZoo.All)
    {
        Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] measuring {model.Name}...");
        results.Add(benchmark.Run(model));
    }
    Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] measuring the noise floor...");
    var noiseFloor = benchmark.RunNoiseFloor(ModelZoo.CifarResNet18);
    report.PrintModels(results, noiseFloor, ModelZoo.CifarResNet18);
    report.PrintGoals(results, noiseFloor);
}

Console.WriteLine();
Console.WriteLine($"total time {clock.Elapsed:mm\\:ss}; load average at the end: {MachineInfo.LoadAverage()}");
return results.All(r => r.Equivalence.Holds) ? 0 : 1;
