using System.Text.Json;
using NetDsl.Emit;
using NetDsl.Parsing;
using NetDsl.Syntax;
using NetDsl.PyTorch;
using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// The PyTorch package `netdsl emit --target pytorch` writes for the zoo, run by Debian's PyTorch: every network and
/// variant has the checker's parameter count and output shape, the C# module's state-dict keys in the same order,
/// loads the C# module's weights with strict=True, and gives the C# module's evaluation outputs (every one of them,
/// in order and under the .nn names, for a network with several).
/// </summary>
public sealed class EmittedPyTorchTests(EmittedPyTorchZoo zoo, ITestOutputHelper output) : IClassFixture<EmittedPyTorchZoo>
{
    /// <summary>Largest |PyTorch − TorchSharp| allowed, relative to the largest |TorchSharp output|.</summary>
    private const double RelativeTolerance = 1e-4;

    [Fact]
    public void ThePackageHasAModulePerFileTheRuntimeAndARegistryOfEveryZooModel()
    {
        var names = zoo.Files.Select(f => f.Name).ToList();
        names.ShouldContain("netdsl_runtime.py");
        names.ShouldContain("__init__.py");
        foreach (var file in Directory.EnumerateFiles(Zoo.ModelsDirectory, "*.nn"))
            names.ShouldContain(Path.GetFileNameWithoutExtension(file) + ".py");
        var registry = zoo.Files.Single(f => f.Name == "__init__.py").Text;
        foreach (var name in EmittedZoo.All)
            registry.ShouldContain($"\"{name}\": {name},");
        foreach (var file in zoo.Files)
        {
            foreach (var line in file.Text.Split('\n').Where(l => l.StartsWith("import ", StringComparison.Ordinal) || l.StartsWith("from ", StringComparison.Ordinal)))
                line.ShouldMatch(@"^(import math|from typing import|import torch|from torch import|from \.[a-z0-9_]+ import)",
                    $"{file.Name} imports only torch, the package itself and the standard library: {line}");
        }
    }

    [Theory]
    [MemberData(nameof(EmittedZoo.Names), MemberType = typeof(EmittedZoo))]
    public void TheEmittedModuleCountsAndNamesItsParametersAsTheCSharpModule(string name)
    {
        var result = zoo.Results.GetProperty(name);
        var report = Zoo.ReportFor(name);
        result.GetProperty("parameters").GetInt64().ShouldBe(report.Parameters, $"{name}: the checker's count");
        var keys = result.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        using var scope = NewDisposeScope();
        using var module = EmittedZoo.Create(name);
        keys.ShouldBe(ModuleState.InPyTorchOrder(module.Module).Select(e => e.Key).ToList(), $"{name}: PyTorch's state-dict keys, in order");
        var shape = report.Output!;
        result.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([shape.Channels, shape.Height, shape.Width]);
        var shapes = report.Outputs.Count > 0 ? report.Outputs.Select(o => o.Shape).ToList() : [shape];
        result.GetProperty("shapes").EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt64()).ToList())
            .ShouldBe(shapes.Select(s => new List<long> { s.Channels, s.Height, s.Width }).ToList(), $"{name}: the shape of every output");
    }

    [Theory]
    [MemberData(nameof(EmittedZoo.Names), MemberType = typeof(EmittedZoo))]
    public void TheEmittedModuleGivesTheCSharpModulesOutputsFromTheSameWeights(string name)
    {
        using var scope = NewDisposeScope();
        var result = zoo.Results.GetProperty(name);
        using var module = EmittedZoo.Create(name);
        var outputNames = module.OutputNames;
        if (outputNames is null)
            result.GetProperty("outputs").ValueKind.ShouldBe(JsonValueKind.Null, $"{name} returns one tensor");
        else
            result.GetProperty("outputs").EnumerateArray().Select(n => n.GetString()).ShouldBe(outputNames, $"{name}: the NamedTuple's fields");
        var count = outputNames?.Count ?? 1;
        for (var i = 0; i < count; i++)
        {
            var what = outputNames is null ? name : $"{name}.{outputNames[i]}";
            Tensor expected, actual;
            using (var stream = File.OpenRead(zoo.Path(name, $"expected.{i}.npy")))
                expected = NpyFile.Read(stream, "TorchSharp's output");
            using (var stream = File.OpenRead(zoo.Path(name, $"output.{i}.npy")))
                actual = NpyFile.Read(stream, "PyTorch's output");
            actual.shape.ShouldBe(expected.shape, what);
            var scale = expected.abs().max().item<float>();
            var difference = (actual - expected).abs().max().item<float>();
            output.WriteLine($"{what}: max |PyTorch - TorchSharp| = {difference:G3}, max |output| = {scale:G3}");
            scale.ShouldBeGreaterThan(0f, $"{what}: all-zero outputs compare nothing");
            ((double)difference).ShouldBeLessThanOrEqualTo(RelativeTolerance * scale, $"{what}: PyTorch differs from TorchSharp by {difference:G3}");
        }
        File.Exists(zoo.Path(name, $"output.{count}.npy")).ShouldBeFalse($"{name} has {count} output(s)");
    }
}

/// <summary>The zoo networks these tests build: <see cref="Zoo.Factories"/> and <see cref="Zoo.GraphFactories"/>.</summary>
public static class EmittedZoo
{
    /// <summary>Every zoo network and variant.</summary>
    public static IReadOnlyList<string> All { get; } = Zoo.AllNames.Order(StringComparer.Ordinal).ToList();

    /// <summary>Every zoo network and variant, one theory row each.</summary>
    public static TheoryData<string> Names() => new(All);

    /// <summary>The C# module of the network or variant <paramref name="name"/>, with its defaults.</summary>
    public static ZooModule Create(string name) =>
        new(Zoo.Factories.TryGetValue(name, out var factory) ? factory() : Zoo.GraphFactories[name]());
}

/// <summary>A zoo network seen the same way whether it has one output or several.</summary>
public sealed class ZooModule(nn.Module module) : IDisposable
{
    public nn.Module Module { get; } = module;

    public FeatureShape InputShape => Module switch
    {
        IMultiOutputNetwork network => network.InputShape,
        SequentialModule sequential => sequential.InputShape,
        _ => throw new InvalidOperationException($"{Module.GetName()} is neither a SequentialModule nor a network with several outputs"),
    };

    /// <summary>The .nn names of the outputs of a network with several; null for one output.</summary>
    public IReadOnlyList<string>? OutputNames => (Module as IMultiOutputNetwork)?.OutputNames;

    /// <summary>Every output, in order.</summary>
    public IReadOnlyList<Tensor> Forward(Tensor input) => Module switch
    {
        IMultiOutputNetwork network => network.ForwardFeatures(input),
        SequentialModule sequential => [sequential.call(input)],
        _ => throw new InvalidOperationException($"{Module.GetName()} is neither a SequentialModule nor a network with several outputs"),
    };

    public void Dispose() => Module.Dispose();
}

/// <summary>
/// Emits the zoo's PyTorch package once per test run, saves every C# zoo module's weights (chosen so that every layer
/// shows in the outputs, <see cref="EveryWeightCounts"/>) and a random input, and runs tools/reference/run_emitted_pytorch.py
/// on all.
/// </summary>
public sealed class EmittedPyTorchZoo : IDisposable
{
    public EmittedPyTorchZoo()
    {
        Directory.CreateDirectory(Work);
        var trees = Directory.EnumerateFiles(Zoo.ModelsDirectory, "*.nn").Order(StringComparer.Ordinal)
            .Select(path => Parser.Parse(new SourceText(path, File.ReadAllText(path))).Tree);
        var plan = EmitPlanner.Plan(trees, "NetDsl.Models");
        plan.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        Files = PythonEmitter.Emit(plan);
        var package = System.IO.Path.Combine(Work, "netdsl_zoo");
        Directory.CreateDirectory(package);
        foreach (var file in Files)
            File.WriteAllText(System.IO.Path.Combine(package, file.Name), file.Text);

        var names = EmittedZoo.All;
        foreach (var name in names)
        {
            using var scope = NewDisposeScope();
            using var module = EmittedZoo.Create(name);
            var shape = module.InputShape;
            // Two samples, but one where a sample is large (EfficientDet-D0 at 512x512, U-Net at 256x256): CPU time.
            var batch = shape.Height * shape.Width > 224 * 224 ? 1 : 2;
            var input = randn([batch, shape.Channels, shape.Height, shape.Width], generator: new Generator((ulong)name.Length + 1));
            using var noGrad = no_grad();
            EveryWeightCounts.Apply(module.Module, module.Forward, input, (ulong)name.Length);
            using (var stream = File.Create(Path(name, "pt")))
                PyTorchWeights.Save(module.Module, stream, WeightFormat.PyTorch);
            using (var stream = File.Create(Path(name, "input.npy")))
                NpyFile.Write(input, stream);
            var outputs = module.Forward(input);
            for (var i = 0; i < outputs.Count; i++)
            {
                using var stream = File.Create(Path(name, $"expected.{i}.npy"));
                NpyFile.Write(outputs[i], stream);
            }
        }
        var json = DebianTorch.RunTool("run_emitted_pytorch.py", [package, Work, .. names]);
        Results = JsonDocument.Parse(json).RootElement;
    }

    public string Work { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netdsl-pytorch-" + Guid.NewGuid().ToString("N")[..8]);

    public IReadOnlyList<PythonFile> Files { get; }

    public JsonElement Results { get; }

    public string Path(string name, string suffix) => System.IO.Path.Combine(Work, $"{name}.{suffix}");

    public void Dispose()
    {
        if (Directory.Exists(Work))
            Directory.Delete(Work, recursive: true);
    }
}
