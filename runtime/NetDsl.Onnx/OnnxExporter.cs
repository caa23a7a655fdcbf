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
/// split, dense, squeeze-excite, CompConv, shuffle, CReLU, drop-path, upsample, the graph steps of named feature
/// maps and their merges, blocks with several inputs and outputs) and TorchSharp layer the generator emits becomes
/// the ONNX operators of its evaluation-mode forward; dropout and drop-path are the identity.</para>
/// <para>The model has one input <c>input</c> of shape <c>[batch, C, H, W]</c> with a symbolic batch
/// dimension, and one output <c>output</c>; a network with several outputs (<see cref="IMultiOutputNetwork"/>) has
/// one graph output per output, named as in its <c>.nn</c> file (<c>p3</c>, <c>p4</c>, …). Each parameter and running statistic is an fp32 initializer
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
        return Write(Build(SingleOutput(module), options ?? new OnnxExportOptions()), output);
    }

    /// <summary>
    /// Writes the multi-output <paramref name="network"/> (a generated network with <c>outputs p3, p4, …</c>) as an ONNX
    /// model to <paramref name="output"/>: one graph output per output, named by <see cref="IMultiOutputNetwork.OutputNames"/>.
    /// </summary>
    /// <param name="network">A generated <see cref="GraphNetwork{TOutputs}"/>.</param>
    /// <param name="output">Where the model's bytes go; not closed.</param>
    /// <param name="options">Name and input shape; by default the network's name and its declared input.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="OnnxExportException">A module in the tree has no ONNX form, or the network is not a
    /// <see cref="GraphNetwork{TOutputs}"/>'s tree of steps; the message names the path.</exception>
    /// <exception cref="ArgumentException">No input shape was given and the network does not declare one.</exception>
    public static OnnxExportSummary Export<TNetwork>(TNetwork network, Stream output, OnnxExportOptions? options = null)
        where TNetwork : nn.Module, IMultiOutputNetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(output);
        return Write(Build(MultiOutput(network), options ?? new OnnxExportOptions()), output);
    }

    /// <summary>
    /// Writes <paramref name="module"/>, whatever its outputs, as an ONNX model to <paramref name="output"/>: a network with
    /// several outputs (<see cref="IMultiOutputNetwork"/>) as <see cref="Export{TNetwork}(TNetwork, Stream, OnnxExportOptions?)"/>
    /// writes it, a module from one tensor to one tensor as <see cref="Export(nn.Module{Tensor, Tensor}, Stream, OnnxExportOptions?)"/>
    /// does. For callers that hold a module of a type known only at run time (a zoo model built by name).
    /// </summary>
    /// <param name="module">A generated network or block, with one output or several.</param>
    /// <param name="output">Where the model's bytes go; not closed.</param>
    /// <param name="options">Name and input shape; by default the module's name and, for a generated module, its declared input.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="OnnxExportException">The module is neither, or a module in the tree has no ONNX form; the message names its path.</exception>
    /// <exception cref="ArgumentException">No input shape was given and the module does not declare one.</exception>
    public static OnnxExportSummary Export(nn.Module module, Stream output, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(output);
        return Write(Build(AnyModule(module), options ?? new OnnxExportOptions()), output);
    }

    /// <summary>
    /// Writes <paramref name="module"/>, whatever its outputs, as an ONNX model to the file <paramref name="path"/>, atomically
    /// (on any failure the file is left as it was).
    /// </summary>
    /// <inheritdoc cref="Export(nn.Module, Stream, OnnxExportOptions?)"/>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static OnnxExportSummary ExportFile(nn.Module module, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.EnsureWritable(path);
        return WriteFile(Build(AnyModule(module), options ?? new OnnxExportOptions()), path);
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
        return WriteFile(Build(SingleOutput(module), options ?? new OnnxExportOptions()), path);
    }

    /// <summary>
    /// Writes the multi-output <paramref name="network"/> as an ONNX model to the file <paramref name="path"/>, atomically
    /// (on any failure the file is left as it was).
    /// </summary>
    /// <inheritdoc cref="Export{TNetwork}(TNetwork, Stream, OnnxExportOptions?)"/>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static OnnxExportSummary ExportFile<TNetwork>(TNetwork network, string path, OnnxExportOptions? options = null)
        where TNetwork : nn.Module, IMultiOutputNetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.EnsureWritable(path);
        return WriteFile(Build(MultiOutput(network), options ?? new OnnxExportOptions()), path);
    }

    private static OnnxExportSummary Write((ModelProto Model, OnnxExportSummary Summary) built, Stream output)
    {
        built.Model.WriteTo(output);
        return built.Summary with { Bytes = built.Model.CalculateSize() };
    }

    private static OnnxExportSummary WriteFile((ModelProto Model, OnnxExportSummary Summary) built, string path)
    {
        AtomicFile.Write(path, stream => built.Model.WriteTo(stream));
        return built.Summary with { Bytes = built.Model.CalculateSize() };
    }

    /// <summary>What an export reads from a module: its declared input, its outputs' names, how the walk translates it and
    /// how it runs.</summary>
    private sealed record ExportedModule(
        nn.Module Module,
        FeatureShape? DeclaredInput,
        IReadOnlyList<string> OutputNames,
        Func<ModuleTranslator, ModuleTranslator.Flow, IReadOnlyList<ModuleTranslator.Flow>> Translate,
        Func<Tensor, IReadOnlyList<Tensor>> Forward);

    private static ExportedModule SingleOutput(nn.Module<Tensor, Tensor> module) => new(
        module,
        // A sequence built by hand (not by the generator) leaves its InputShape at 0x0x0: not declared.
        module is SequentialModule { InputShape: { Channels: > 0 } shape } ? shape : null,
        [OutputName],
        (translator, input) => [translator.Translate(module, "", input)],
        sample => [module.call(sample)]);

    private static ExportedModule MultiOutput<TNetwork>(TNetwork network) where TNetwork : nn.Module, IMultiOutputNetwork =>
        MultiOutput(network, network);

    // A network with several outputs first: a module could be both (it is never, for generated ones).
    private static ExportedModule AnyModule(nn.Module module) => module switch
    {
        IMultiOutputNetwork network => MultiOutput(module, network),
        nn.Module<Tensor, Tensor> single => SingleOutput(single),
        _ => throw new OnnxExportException("", $"{module.GetType().FullName} neither maps one tensor to one tensor nor is a network " +
            "with named outputs (a GraphNetwork); it has no ONNX export in NetDsl"),
    };

    private static ExportedModule MultiOutput(nn.Module module, IMultiOutputNetwork network)
    {
        var graph = network as IFeatureGraph ?? throw new OnnxExportException("",
            $"{network.GetType().FullName} is not a generated network with outputs (a GraphNetwork); it has no ONNX export in NetDsl");
        var names = network.OutputNames;
        if (names.Count == 0 || graph.OutputSlots is null || graph.OutputSlots.Count != names.Count)
            throw new OnnxExportException("", $"{module.GetName()} declares no outputs");
        if (names.Contains(InputName))
            throw new OnnxExportException("", $"{module.GetName()} has an output named '{InputName}', the name of the model's input");
        return new ExportedModule(
            module,
            network.InputShape is { Channels: > 0 } shape ? shape : null,
            names,
            (translator, input) => translator.TranslateGraph(graph, "", [input]),
            network.ForwardFeatures);
    }

    private static (ModelProto Model, OnnxExportSummary Summary) Build(ExportedModule exported, OnnxExportOptions options)
    {
        var module = exported.Module;
        var inputShape = options.InputShape ?? exported.DeclaredInput
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
            foreach (var outputName in exported.OutputNames)
                builder.Reserve(outputName);

            // A fixed generator: the sample must not move the global one that training and drop-path draw from.
            var generator = new Generator(20151);
            var sample = randn([1, inputShape.Channels, inputShape.Height, inputShape.Width], generator: generator);
            var results = exported.Translate(new ModuleTranslator(builder, stateDictKeys), new ModuleTranslator.Flow(InputName, sample));
            CheckAgainstForward(module, exported.Forward(sample), results.Select(r => r.Sample).ToList());
            builder.NameOutputs(results.Select((result, i) => (result.Name, exported.OutputNames[i])).ToList());

            var graph = builder.Graph;
            graph.Name = name;
            graph.Input.Add(TensorValue(InputName, [inputShape.Channels, inputShape.Height, inputShape.Width]));
            for (var i = 0; i < results.Count; i++)
                graph.Output.Add(TensorValue(exported.OutputNames[i], results[i].Sample.shape.Skip(1).ToArray()));

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
    private static void CheckAgainstForward(nn.Module module, IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> walked)
    {
        if (expected.Count != walked.Count)
            throw new OnnxExportException("", $"the exported graph has {walked.Count} outputs but {module.GetName()}'s forward gives " +
                $"{expected.Count}; this is a bug in the exporter");
        for (var i = 0; i < expected.Count; i++)
        {
            var scale = Math.Max(expected[i].abs().max().item<float>(), 1e-6f);
            if (!expected[i].shape.SequenceEqual(walked[i].shape) || walked[i].sub(expected[i]).abs().max().item<float>() > 1e-4f * scale)
                throw new OnnxExportException("", $"the exported graph does not compute what {module.GetName()}'s forward computes " +
                    $"(output {Format(walked[i].shape)} against {Format(expected[i].shape)}); this is a bug in the exporter");
        }
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
