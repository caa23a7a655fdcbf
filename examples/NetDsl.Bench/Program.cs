// NetDsl benchmark: generated TorchSharp modules against hand-written ones, and the generator's own cost,
// measured side by side in one run. See docs/benchmarks.md.
using System.Diagnostics;
using NetDsl.Bench;
using NetDsl.Bench.Editor;
using NetDsl.Bench.Generator;
using NetDsl.Bench.Harness;
using NetDsl.Bench.Models;
using NetDsl.Bench.PyTorch;
using NetDsl.Bench.Report;
using NetDsl.Runtime;
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
Console.WriteLine($"NetDsl.Runtime: {TorchEnvironment.OneDnn}");

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

var inference = new List<InferenceResult>();
if (!options.SkipInference)
{
    var benchmark = new InferenceBenchmark(options);
    foreach (var model in ModelZoo.All)
    {
        Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] measuring {model.Name} prepared for inference...");
        inference.Add(benchmark.Run(model));
    }
    report.PrintInference(inference);
    report.PrintInferenceGoals(inference);
}

if (!options.SkipPyTorch)
{
    try
    {
        using var emitted = EmittedPyTorchPackage.Write(ZooSources.Load());
        using var python = PyTorchProcess.Start(options.Python, torch.get_num_threads(), emitted.Directory);
        var info = python.Request("info");
        Console.WriteLine();
        Console.WriteLine($"PyTorch side: {options.Python}, torch {info.GetProperty("torch").GetString()}, torchvision " +
            $"{info.GetProperty("torchvision").GetString()}, {info.GetProperty("threads").GetInt32()} threads, oneDNN " +
            $"{(info.GetProperty("mkldnn").GetBoolean() ? "on" : "off")}; NetDsl side: libtorch {torch.__version__}, {torch.get_num_threads()} threads, " +
            $"oneDNN {(TorchEnvironment.OneDnnEnabled ? "on" : "off")}");
        var yardstick = new PyTorchYardstick(options, python);
        var compared = new List<YardstickResult>();
        foreach (var (name, input, create) in PyTorchYardstick.Networks)
        {
            Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] measuring {name} against PyTorch...");
            compared.Add(yardstick.Run(name, input, create));
        }
        report.PrintPyTorch(compared, info.GetProperty("torch").GetString() ?? "?");
        report.PrintPyTorchGoals(compared);
    }
    catch (InvalidOperationException e)
    {
        Console.WriteLine();
        Console.WriteLine($"PyTorch comparison not run: {e.Message}");
    }
}

if (!options.SkipOnnx)
{
    var onnx = new OnnxRuntimeBenchmark(options);
    var onnxResults = new List<OnnxRuntimeResult>();
    foreach (var model in new[] { ModelZoo.MobileNetV2, ModelZoo.MultiPathNet })
    {
        Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] measuring {model.Name} in ONNX Runtime...");
        onnxResults.AddRange(onnx.Run(model));
    }
    report.PrintOnnxRuntime(onnxResults);
}

Console.WriteLine();
Console.WriteLine($"total time {clock.Elapsed:mm\\:ss}; load average at the end: {MachineInfo.LoadAverage()}");
return results.All(r => r.Equivalence.Holds) && inference.All(r => r.RelativeDifference <= InferenceResult.Tolerance) ? 0 : 1;
