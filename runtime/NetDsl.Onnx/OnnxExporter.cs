using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using NetDsl.IO;
using NetDsl.Onnx.Protobuf;
using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Onnx;

/// <summary>
/// Writes a NetDsl module with its current weights as an ONNX model (opset 17) that ONNX Runtime, TensorRT,
/// OpenVINO and the other ONNX back ends run: TorchSharp itself cannot export ONNX.
/// </summary>
/// <remarks>
/// <para>The graph is read from the module tree itself: every runtime block (sequence, residual, parallel,
/// split, dense, squeeze-excite, CompConv, shuffle, CReLU, drop-path) and TorchSharp layer the generator
/// emits becomes the ONNX operators of its evaluation-mode forward; dropout and drop-path are the identity.</para>
/// <para>The model has one input <c>input</c> of shape <c>[batch, C, H, W]</c> with a symbolic batch
/// dimension, and one output <c>output</c>. Each parameter and running statistic is an fp32 initializer
/// named by its state-dict key and stored once; batch norm's <c>num_batches_tracked</c> counters, which
/// inference never reads, are left out. The metadata holds the network's name, its input shape and the
/// NetDsl version.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the exported models use.</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version written (the IR of opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>The name of the model's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the model's output.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic name of the batch dimension of input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Metadata key of the network's name.</summary>
    public const string NetworkKey = "netdsl.network";

    /// <summary>Metadata key of the input shape of one sample, e.g. <c>3x224x224</c>.</summary>
    public const string InputShapeKey = "netdsl.input_shape";

    /// <summary>Metadata key of the NetDsl version that wrote the file.</summary>
    public const string VersionKey = "netdsl.version";

    /// <summary>The NetDsl version written into the files, e.g. <c>0.1.0</c>.</summary>
    public static string NetDslVersion { get; } = ReadVersion();

    /// <summary>Writes <paramref name="module"/> as an ONNX model to <paramref name="output"/>.</summary>
    /// <param name="module">A generated network or block (or any tree of the modules listed in the remarks).</param>
    /// <param name="output">Where the model's bytes go; not closed.</param>
    /// <param name="options">Name and input shape; by default the module's name and, for a generated module, its declared input.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="OnnxExportException">A module in the tree has no ONNX form; the message names its path.</exception>
    /// <exception cref="ArgumentException">No input shape was given and the module does not declare one.</exception>
    public static OnnxExportSummary Export(nn.Module<Tensor, Tensor> module, Stream output, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(output);
        var (model, summary) = Build(module, options ?? new OnnxExportOptions());
        model.WriteTo(output);
        return summary with { Bytes = model.CalculateSize() };
    }

    /// <summary>
    /// Writes <paramref name="module"/> as an ONNX model to the file <paramref name="path"/>, atomically: the file
    /// is either the complete model or, on any failure, left as it was (no partial <c>.onnx</c>).
    /// </summary>
    /// <inheritdoc cref="Export(nn.Module{Tensor, Tensor}, Stream, OnnxExportOptions?)"/>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static OnnxExportSummary ExportFile(nn.Module<Tensor, Tensor> module, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.EnsureWritable(path);
        // Built completely before the file is opened: an export error never leaves even a temporary file.
        var (model, summary) = Build(module, options ?? new OnnxExportOptions());
        AtomicFile.Write(path, stream => model.WriteTo(stream));
        return summary with { Bytes = model.CalculateSize() };
    }

    private static (ModelProto Model, OnnxExportSummary Summary) Build(nn.Module<Tensor, Tensor> module, OnnxExportOptions options)
    {
        // A sequence built by hand (not by the generator) leaves its InputShape at 0x0x0: not declared.
        var declared = module is SequentialModule { InputShape: { Channels: > 0 } shape } ? shape : (FeatureShape?)null;
        var inputShape = options.InputShape ?? declared
            ?? throw new ArgumentException("the module declares no input shape; pass OnnxExportOptions.InputShape", nameof(options));
        if (inputShape.Channels < 1 || inputShape.Height < 1 || inputShape.Width < 1)
            throw new ArgumentException($"the input shape {inputShape} has an empty dimension", nameof(options));
        var name = options.NetworkName ?? module.GetName();

        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var stateDictKeys = module.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
            var builder = new OnnxGraphBuilder();
            builder.Reserve(InputName);

            // A fixed generator: the sample must not move the global one that training and drop-path draw from.
            var generator = new Generator(20151);
            var sample = randn([1, inputShape.Channels, inputShape.Height, inputShape.Width], generator: generator);
            var result = new ModuleTranslator(builder, stateDictKeys).Translate(module, "", new ModuleTranslator.Flow(InputName, sample));
            CheckAgainstForward(module, sample, result.Sample);
            builder.NameOutput(result.Name, OutputName);

            var graph = builder.Graph;
            graph.Name = name;
            graph.Input.Add(TensorValue(InputName, [inputShape.Channels, inputShape.Height, inputShape.Width]));
            graph.Output.Add(TensorValue(OutputName, result.Sample.shape.Skip(1).ToArray()));

            var model = new ModelProto
            {
                IrVersion = IrVersion,
                ProducerName = "NetDsl",
                ProducerVersion = NetDslVersion,
                DocString = $"{name}, exported by NetDsl {NetDslVersion} with its weights; input {inputShape}",
                Graph = graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
            model.MetadataProps.Add(new StringStringEntryProto { Key = NetworkKey, Value = name });
            model.MetadataProps.Add(new StringStringEntryProto { Key = InputShapeKey, Value = inputShape.ToString() });
            model.MetadataProps.Add(new StringStringEntryProto { Key = VersionKey, Value = NetDslVersion });
            return (model, new OnnxExportSummary(name, inputShape, graph.Node.Count, builder.InitializerCount, builder.WeightBytes, 0));
        }
        finally
        {
            if (wasTraining)
                module.train();
        }
    }

    // The walk's TorchSharp mirror must give what the module's own forward gives; if it does not, a container was
    // read differently from how it runs, and the file would compute something else: refuse to write it.
    private static void CheckAgainstForward(nn.Module<Tensor, Tensor> module, Tensor sample, Tensor walked)
    {
        var expected = module.call(sample);
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-6f);
        if (!expected.shape.SequenceEqual(walked.shape) || walked.sub(expected).abs().max().item<float>() > 1e-4f * scale)
            throw new OnnxExportException("", $"the exported graph does not compute what {module.GetName()}'s forward computes " +
                $"(output {Format(walked.shape)} against {Format(expected.shape)}); this is a bug in the exporter");
    }

    private static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static ValueInfoProto TensorValue(string name, long[] sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (var size in sampleShape)
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static string ReadVersion()
    {
        var assembly = typeof(SequentialModule).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

/// <summary>How <see cref="OnnxExporter"/> names the model and shapes its input.</summary>
/// <param name="NetworkName">The graph's and metadata's name; the module's name (<c>GetName()</c>) when null.</param>
/// <param name="InputShape">One sample's input; the generated module's declared <c>InputShape</c> when null.</param>
public sealed record OnnxExportOptions(string? NetworkName = null, FeatureShape? InputShape = null);

/// <summary>What one export wrote.</summary>
/// <param name="NetworkName">The name in the graph and metadata.</param>
/// <param name="InputShape">One sample's input shape.</param>
/// <param name="Nodes">ONNX nodes in the graph.</param>
/// <param name="Initializers">Initializers: one per exported state-dict entry.</param>
/// <param name="WeightBytes">Bytes of fp32 weights stored (each once).</param>
/// <param name="Bytes">Size of the whole model file.</param>
public sealed record OnnxExportSummary(string NetworkName, FeatureShape InputShape, int Nodes, int Initializers, long WeightBytes, long Bytes)
{
    /// <summary>"MobileNetV2: 3x224x224, 155 nodes, 314 initializers, 13.6 MB", for a console line.</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0}: input {1}, {2} nodes, {3} initializers, {4:F1} MB", NetworkName, InputShape, Nodes, Initializers, Bytes / 1e6);
}
