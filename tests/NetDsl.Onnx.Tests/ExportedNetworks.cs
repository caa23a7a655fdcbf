using NetDsl.Runtime.Composition;
using ZooTable = NetDsl.Zoo.Tests.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Onnx.Tests;

/// <summary>One network written as .onnx, with what TorchSharp computed for the same inputs in evaluation mode.</summary>
public sealed record ExportedNetwork(
    string Name,
    string File,
    OnnxExportSummary Summary,
    IReadOnlyList<string> StateDictKeys,
    long ParameterAndBufferBytes,
    IReadOnlyDictionary<int, (float[] Input, long[] InputShape, float[] Output, long[] OutputShape)> Runs);

/// <summary>
/// Exports every zoo network and variant (the table of tests/NetDsl.Zoo.Tests/Zoo.cs) and the construct
/// networks of <see cref="ConstructNetworks"/> once per test run into one temporary directory, recording
/// TorchSharp's evaluation-mode outputs at batch 1 and 3: the ONNX Runtime tests and the ONNX checker
/// test read these files. Batch-norm statistics and affine parameters are randomized first (seeded), so a
/// mistake in the batch-norm export cannot hide behind the identity statistics of a fresh module.
/// </summary>
public sealed class ExportedNetworks : IDisposable
{
    public static readonly int[] Batches = [1, 3];

    private readonly Dictionary<string, Lazy<ExportedNetwork>> networks = new(StringComparer.Ordinal);

    public ExportedNetworks()
    {
        Directory.CreateDirectory(DirectoryPath);
        foreach (var (name, factory) in ZooTable.Factories)
            networks[name] = new Lazy<ExportedNetwork>(() => Export(name, factory));
        foreach (var (name, factory) in ConstructNetworks.Factories)
            networks[name] = new Lazy<ExportedNetwork>(() => Export(name, factory));
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "netdsl-onnx-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public ExportedNetwork this[string name] => networks[name].Value;

    public IEnumerable<ExportedNetwork> All => networks.Values.Select(n => n.Value);

    public void Dispose()
    {
        if (Directory.Exists(DirectoryPath))
            Directory.Delete(DirectoryPath, recursive: true);
    }

    private ExportedNetwork Export(string name, Func<SequentialModule> factory)
    {
        using var scope = NewDisposeScope();
        using var module = factory();
        var seed = (ulong)name.Aggregate(17, (hash, c) => unchecked(hash * 31 + c)) & 0xFFFF;    // stable across runs
        RandomizeBatchNorm(module, seed);
        module.eval();

        var file = Path.Combine(DirectoryPath, name + ".onnx");
        var summary = OnnxExporter.ExportFile(module, file, new OnnxExportOptions(NetworkName: name));

        var runs = new Dictionary<int, (float[], long[], float[], long[])>();
        using (no_grad())
        {
            var generator = new Generator(seed + 1);
            foreach (var batch in Batches)
            {
                var input = randn([batch, module.InputShape.Channels, module.InputShape.Height, module.InputShape.Width], generator: generator);
                var output = module.call(input);
                runs[batch] = (input.data<float>().ToArray(), input.shape, output.data<float>().ToArray(), output.shape);
            }
        }
        var keys = module.state_dict().Keys.ToList();
        var bytes = module.parameters().Sum(p => p.numel() * 4) +
            module.named_buffers().Where(b => !b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Sum(b => b.buffer.numel() * 4);
        return new ExportedNetwork(name, file, summary, keys, bytes, runs);
    }

    private static void RandomizeBatchNorm(nn.Module module, ulong seed)
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
    }
}

[CollectionDefinition(Name)]
public sealed class ExportedNetworksCollection : ICollectionFixture<ExportedNetworks>
{
    public const string Name = "exported networks";
}
