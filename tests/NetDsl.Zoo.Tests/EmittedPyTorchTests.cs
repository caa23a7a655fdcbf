using System.Text.Json;
using NetDsl.Emit;
using NetDsl.Parsing;
using NetDsl.Syntax;
using NetDsl.PyTorch;
using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// The PyTorch package `netdsl emit --target pytorch` writes for the zoo, run by Debian's PyTorch: every network and
/// variant has the checker's parameter count and output shape, the C# module's state-dict keys in the same order,
/// loads the C# module's weights with strict=True, and gives the C# module's evaluation outputs.
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
        foreach (var name in Zoo.Factories.Keys)
            registry.ShouldContain($"\"{name}\": {name},");
        foreach (var file in zoo.Files)
        {
            foreach (var line in file.Text.Split('\n').Where(l => l.StartsWith("import ", StringComparison.Ordinal) || l.StartsWith("from ", StringComparison.Ordinal)))
                line.ShouldMatch(@"^(import math|from typing import|import torch|from torch import|from \.[a-z0-9_]+ import)",
                    $"{file.Name} imports only torch, the package itself and the standard library: {line}");
        }
    }

    [Theory]
    [MemberData(nameof(Zoo.Names), MemberType = typeof(Zoo))]
    public void TheEmittedModuleCountsAndNamesItsParametersAsTheCSharpModule(string name)
    {
        var result = zoo.Results.GetProperty(name);
        result.GetProperty("parameters").GetInt64().ShouldBe(Zoo.ReportFor(name).Parameters, $"{name}: the checker's count");
        var keys = result.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();
        keys.ShouldBe(ModuleState.InPyTorchOrder(module).Select(e => e.Key).ToList(), $"{name}: PyTorch's state-dict keys, in order");
        var shape = Zoo.ReportFor(name).Output!;
        result.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ShouldBe([shape.Channels, shape.Height, shape.Width]);
    }

    [Theory]
    [MemberData(nameof(Zoo.Names), MemberType = typeof(Zoo))]
    public void TheEmittedModuleGivesTheCSharpModulesOutputsFromTheSameWeights(string name)
    {
        using var scope = NewDisposeScope();
        Tensor expected, actual;
        using (var stream = File.OpenRead(zoo.Path(name, "expected.npy")))
            expected = NpyFile.Read(stream, "TorchSharp's output");
        using (var stream = File.OpenRead(zoo.Path(name, "output.npy")))
            actual = NpyFile.Read(stream, "PyTorch's output");
        actual.shape.ShouldBe(expected.shape);
        var scale = expected.abs().max().item<float>();
        var difference = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{name}: max |PyTorch - TorchSharp| = {difference:G3}, max |output| = {scale:G3}");
        scale.ShouldBeGreaterThan(0f, $"{name}: all-zero outputs compare nothing");
        ((double)difference).ShouldBeLessThanOrEqualTo(RelativeTolerance * scale, $"{name}: PyTorch differs from TorchSharp by {difference:G3}");
    }
}

/// <summary>
/// Emits the zoo's PyTorch package once per test run, saves every C# zoo module's weights (batch-norm statistics
/// randomized, so a misplaced buffer shows) and a random input, and runs tools/reference/run_emitted_pytorch.py on all.
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

        foreach (var (name, factory) in Zoo.Factories)
        {
            using var scope = NewDisposeScope();
            using var module = factory();
            RandomizeBatchNorm(module, (ulong)name.Length);
            module.eval();
            using (var stream = File.Create(Path(name, "pt")))
                PyTorchWeights.Save(module, stream, WeightFormat.PyTorch);
            var shape = module.InputShape;
            var input = randn([2, shape.Channels, shape.Height, shape.Width], generator: new Generator((ulong)name.Length + 1));
            using (var stream = File.Create(Path(name, "input.npy")))
                NpyFile.Write(input, stream);
            using var noGrad = no_grad();
            using (var stream = File.Create(Path(name, "expected.npy")))
                NpyFile.Write(module.call(input), stream);
        }
        var json = DebianTorch.RunTool("run_emitted_pytorch.py", [package, Work, .. Zoo.Factories.Keys]);
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

    private static void RandomizeBatchNorm(TorchSharp.torch.nn.Module module, ulong seed)
    {
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var (_, buffer) in module.named_buffers())
        {
            if (buffer.dtype != ScalarType.Float32)
                continue;
            buffer.copy_(rand(buffer.shape, generator: generator) * 0.4 + 0.6); // running means and variances, all positive
        }
    }
}
