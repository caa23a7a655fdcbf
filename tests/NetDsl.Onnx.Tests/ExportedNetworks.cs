using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using ZooTable = NetDsl.Zoo.Tests.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Onnx.Tests;

/// <summary>One output of a network for one input: its name in the .onnx file, TorchSharp's values and their shape.</summary>
public sealed record ExportedOutput(string Name, float[] Values, long[] Shape);

/// <summary>One input (a batch) and what TorchSharp computed for it in evaluation mode, every output in order.</summary>
public sealed record ExportedRun(float[] Input, long[] InputShape, IReadOnlyList<ExportedOutput> Outputs);

/// <summary>One network written as .onnx, with what TorchSharp computed for the same inputs in evaluation mode.</summary>
public sealed record ExportedNetwork(
    string Name,
    string File,
    OnnxExportSummary Summary,
    IReadOnlyList<string> OutputNames,
    IReadOnlyList<string> StateDictKeys,
    long ParameterAndBufferBytes,
    IReadOnlyDictionary<int, ExportedRun> Runs);

/// <summary>
/// Exports every zoo network and variant (the tables of tests/NetDsl.Zoo.Tests/Zoo.cs; the graph networks as
/// <see cref="GraphZooNetworks"/> builds them) and the construct networks of <see cref="ConstructNetworks"/> once per
/// test run into one temporary directory, recording TorchSharp's evaluation-mode outputs (every output of a network
/// with several) at batch 1 and 3, the graph networks at batch 1: the ONNX Runtime tests and the ONNX checker test
/// read these files. Batch-norm statistics and affine parameters and weighted fusions' weights are randomized first
/// (seeded), so a mistake in their export cannot hide behind the identity statistics or equal weights of a fresh module.
/// </summary>
public sealed class ExportedNetworks : IDisposable
{
    public static readonly int[] Batches = [1, 3];

    private readonly Dictionary<string, Lazy<ExportedNetwork>> networks = new(StringComparer.Ordinal);

    public ExportedNetworks()
    {
        Directory.CreateDirectory(DirectoryPath);
        foreach (var (name, factory) in ZooTable.Factories)
            networks[name] = new Lazy<ExportedNetwork>(() => Export(name, factory, Batches));
        foreach (var name in ZooTable.GraphFactories.Keys)
        {
            var factory = GraphZooNetworks.Factories.GetValueOrDefault(name)
                ?? throw new InvalidOperationException($"the zoo's graph network {name} has no row in GraphZooNetworks.Factories");
            networks[name] = new Lazy<ExportedNetwork>(() => Export(name, factory, GraphZooNetworks.Batches));
        }
        foreach (var (name, factory) in ConstructNetworks.Factories)
            networks[name] = new Lazy<ExportedNetwork>(() => Export(name, factory, Batches));
    }

    /// <summary>Every network's name: the zoo's (graph networks included) and the construct networks'.</summary>
    public static IEnumerable<string> Names =>
        ZooTable.AllNames.Concat(ConstructNetworks.Factories.Keys).Order(StringComparer.Ordinal);

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "netdsl-onnx-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public ExportedNetwork this[string name] => networks[name].Value;

    public IEnumerable<ExportedNetwork> All => networks.Values.Select(n => n.Value);

    public void Dispose()
    {
        if (Directory.Exists(DirectoryPath))
            Directory.Delete(DirectoryPath, recursive: true);
    }

    private ExportedNetwork Export(string name, Func<nn.Module> factory, int[] batches)
    {
        using var scope = NewDisposeScope();
        using var module = factory();
        var seed = (ulong)name.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & 0xFFFF;    // stable across runs
        Randomize(module, seed);
        module.eval();

        var file = Path.Combine(DirectoryPath, name + ".onnx");
        // The overload for any module: a network with several outputs gets one graph output per output.
        var summary = OnnxExporter.ExportFile(module, file, new OnnxExportOptions(NetworkName: name));
        var outputNames = module is IMultiOutputNetwork multi ? multi.OutputNames : [OnnxExporter.OutputName];
        Func<Tensor, IReadOnlyList<Tensor>> forward = module switch
        {
            IMultiOutputNetwork network => network.ForwardFeatures,
            nn.Module<Tensor, Tensor> single => x => [single.call(x)],
            _ => throw new InvalidOperationException($"{name} is neither a one-output module nor a network with named outputs"),
        };

        var runs = new Dictionary<int, ExportedRun>();
        using (no_grad())
        {
            var generator = new Generator(seed + 1);
            var shape = summary.InputShape;
            foreach (var batch in batches)
            {
                var input = randn([batch, shape.Channels, shape.Height, shape.Width], generator: generator);
                var outputs = forward(input);
                outputs.Count.ShouldBe(outputNames.Count, $"{name}: outputs");
                runs[batch] = new ExportedRun(input.data<float>().ToArray(), input.shape,
                    outputs.Select((output, i) => new ExportedOutput(outputNames[i], output.data<float>().ToArray(), output.shape)).ToList());
            }
        }
        var keys = module.state_dict().Keys.ToList();
        var bytes = module.parameters().Sum(p => p.numel() * 4) +
            module.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(b => b.buffer.numel() * 4);
        return new ExportedNetwork(name, file, summary, outputNames, keys, bytes, runs);
    }

    private static void Randomize(nn.Module module, ulong seed)
    {
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var norm in module.modules().OfType<BatchNorm2d>())
        {
            var n = norm.num_features;
            norm.weight!.copy_(rand(n, generator: generator) + 0.5);
            norm.bias!.copy_(rand(n, generator: generator) * 0.4 - 0.2);
            norm.running_mean!.copy_(rand(n, generator: generator) * 0.4 - 0.2);
            norm.running_var!.copy_(rand(n, generator: generator) + 0.5);
        }
        // Fresh fusions weigh their inputs equally (ones), which hides inputs fused in the wrong order; some weights
        // negative, so relu's clamp to zero is exercised too.
        foreach (var fusion in module.modules().OfType<WeightedFusion>())
            fusion.Weight.copy_(rand(fusion.Weight.shape, generator: generator) * 1.5 - 0.2);
    }
}

[CollectionDefinition(Name)]
public sealed class ExportedNetworksCollection : ICollectionFixture<ExportedNetworks>
{
    public const string Name = "exported networks";
}
