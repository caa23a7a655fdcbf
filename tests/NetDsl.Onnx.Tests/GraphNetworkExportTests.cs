using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using NetDsl.Onnx.Protobuf;
using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Inference;
using TorchSharp;
using TorchSharp.Modules;
using Upsample = NetDsl.Runtime.Upsample;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// A network with several named outputs (<see cref="IMultiOutputNetwork"/>) as an .onnx file: one graph output per
/// output, named by it, each equal in ONNX Runtime to TorchSharp's; the weights under their state-dict keys; accepted
/// by the ONNX checker.
/// </summary>
public sealed class GraphNetworkExportTests(ITestOutputHelper output) : IDisposable
{
    private const double RelativeTolerance = 1e-4;

    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-onnx-graph-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>
    /// A feature pyramid on a 3x20x20 input with levels 10, 5 and 3: p5 resized to 5x5 (nearest, an uneven ratio) and
    /// fused with c4 by learned weights, p4 resized to 10x10 (bilinear) and summed with c3; one head shared by the three
    /// levels, whose outputs overwrite the slots of c3, c4 and c5; and p4 before the head as a fourth output.
    /// Slots: c3/p3 out 0, c4/p4 out 1, c5/p5 out 2, p5 3, p4 4, p3 5, resized p5 6, resized p4 7.
    /// </summary>
    private sealed class Pyramid : GraphNetwork<IReadOnlyList<Tensor>>
    {
        public Pyramid() : base(nameof(Pyramid))
        {
            InputShape = new FeatureShape(3, 20, 20);
            SetSlotCount(8);
            Append("stem", nn.Conv2d(3, 8, 3, stride: 2, padding: 1));
            Append(nn.BatchNorm2d(8));
            Append(nn.ReLU());
            Keep(0);
            Append(nn.Conv2d(8, 8, 3, stride: 2, padding: 1));
            Keep(1);
            Append(nn.Conv2d(8, 8, 3, stride: 2, padding: 1));
            Keep(2);
            Append("lateral5", nn.Conv2d(8, 8, 1));
            Keep(3);
            ResizeTo(1, bilinear: false);
            Keep(6);
            var fusion = Merge("fuse4", new WeightedFusion(2), 1, 6);
            using (no_grad())
                fusion.Weight.copy_(tensor(new float[] { 1.3f, 0.4f }));
            Keep(4);
            ResizeTo(0, bilinear: true);
            Keep(7);
            Merge(new FeatureSum(2), 0, 7);
            Append("smooth", nn.Conv2d(8, 8, 3, padding: 1));
            Keep(5);
            Recall(5, 4, 3);
            Append("head", nn.Conv2d(8, 4, 3, padding: 1));
            Append(nn.Hardswish());
            Keep(0, 1, 2);
            SetOutputs(["p3", "p4", "p5", "p4_features"], [0, 1, 2, 4],
                [new(4, 10, 10), new(4, 5, 5), new(4, 3, 3), new(8, 5, 5)]);
        }

        protected override IReadOnlyList<Tensor> CreateOutputs(IReadOnlyList<Tensor> outputs) => outputs;
    }

    private static Pyramid CreatePyramid()
    {
        var pyramid = new Pyramid();
        var generator = new Generator(33);
        using var noGrad = no_grad();
        foreach (var norm in pyramid.modules().OfType<BatchNorm2d>())
        {
            norm.running_mean!.copy_(rand(8, generator: generator) * 0.4 - 0.2);
            norm.running_var!.copy_(rand(8, generator: generator) + 0.5);
        }
        pyramid.eval();
        return pyramid;
    }

    [Fact]
    public void Onnx_Runtime_gives_every_named_output_as_TorchSharp_does_at_batch_one_and_three()
    {
        using var scope = NewDisposeScope();
        using var pyramid = CreatePyramid();
        var file = Path.Combine(directory, "pyramid.onnx");

        var summary = OnnxExporter.ExportFile(pyramid, file);

        summary.NetworkName.ShouldBe(nameof(Pyramid));
        summary.InputShape.ShouldBe(new FeatureShape(3, 20, 20));
        using var session = new InferenceSession(file);
        session.OutputMetadata.Keys.ShouldBe(["p3", "p4", "p5", "p4_features"]);
        for (var i = 0; i < pyramid.OutputNames.Count; i++)
        {
            var shape = pyramid.OutputShapes[i];
            var metadata = session.OutputMetadata[pyramid.OutputNames[i]];
            metadata.Dimensions.ShouldBe([-1, (int)shape.Channels, (int)shape.Height, (int)shape.Width]);
            metadata.SymbolicDimensions[0].ShouldBe(OnnxExporter.BatchDimension);
        }

        var generator = new Generator(34);
        foreach (var batch in new[] { 1, 3 })
        {
            var input = randn([batch, 3, 20, 20], generator: generator);
            IReadOnlyList<Tensor> expected;
            using (no_grad())
                expected = pyramid.call(input);
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), input.shape);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], pyramid.OutputNames.ToArray());
            for (var i = 0; i < expected.Count; i++)
            {
                var name = pyramid.OutputNames[i];
                results[i].GetTensorTypeAndShape().Shape.ShouldBe(expected[i].shape, name);
                var actual = results[i].GetTensorDataAsSpan<float>().ToArray();
                var wanted = expected[i].data<float>().ToArray();
                var scale = (double)wanted.Max(Math.Abs);
                var worst = actual.Zip(wanted, (a, e) => (double)Math.Abs(a - e)).Max();
                output.WriteLine($"{name} batch {batch}: max |ORT - TorchSharp| = {worst:G3}, max |output| = {scale:G3}");
                scale.ShouldBeGreaterThan(0, name);
                worst.ShouldBeLessThanOrEqualTo(RelativeTolerance * scale, $"{name} at batch {batch}");
            }
        }
    }

    [Fact]
    public void Every_weight_is_stored_once_under_its_state_dict_key_and_the_checker_accepts_the_file()
    {
        using var scope = NewDisposeScope();
        using var pyramid = CreatePyramid();
        var file = Path.Combine(directory, "pyramid.onnx");
        using (var stream = File.Create(file))
            OnnxExporter.Export(pyramid, stream, new OnnxExportOptions(NetworkName: "Fpn"));

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));

        model.Graph.Name.ShouldBe("Fpn");
        model.Graph.Initializer.Select(i => i.Name).Order(StringComparer.Ordinal).ShouldBe(
            pyramid.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        model.Graph.Initializer.Select(i => i.Name).ShouldContain("fuse4.weight");
        model.Graph.Output.Select(o => o.Name).ShouldBe(["p3", "p4", "p5", "p4_features"]);
        model.Graph.Node.Count(n => n.OpType == "Conv" && n.Input[1] == "head.weight").ShouldBe(3);   // one head, three levels
        model.Graph.Node.Select(n => n.OpType).ShouldContain("Gather");   // 3 -> 5 nearest
        model.Graph.Node.Select(n => n.OpType).ShouldContain("Resize");   // 5 -> 10 bilinear

        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')");
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output.WriteLine(stdout + stderr);
        process.ExitCode.ShouldBe(0, $"the ONNX checker rejected the file:\n{stdout}\n{stderr}");
    }

    private sealed class Sequence : SequentialModule
    {
        public Sequence(FeatureShape input, int slots, Action<Sequence> build) : base(nameof(Sequence))
        {
            InputShape = input;
            SetSlotCount(slots);
            build(this);
        }
    }

    [Theory]
    [InlineData(2, "Resize")]    // PyTorch's pixels are x / 2: ONNX Resize picks the same
    [InlineData(41, "Gather")]   // PyTorch's float 1/41 rounds x·(1/41) below 1 at x = 41: gathered by index
    public void Nearest_upsampling_and_resizing_read_the_pixels_PyTorch_reads(long factor, string op)
    {
        using var scope = NewDisposeScope();
        using var net = new Sequence(new FeatureShape(2, 2, 3), 1, s =>
        {
            s.Keep(0);
            s.Append(new Upsample(factor, bilinear: false));
            s.Keep(0);
            s.Append(nn.AvgPool2d(factor, factor));     // back to 2x3, then nearest to the upsampled size again
            s.ResizeTo(0, bilinear: false);
        });
        var file = Path.Combine(directory, "nearest.onnx");

        OnnxExporter.ExportFile(net, file);

        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
        model.Graph.Node.Count(n => n.OpType == op).ShouldBe(op == "Gather" ? 4 : 2);
        var input = randn(2, 2, 2, 3);
        using (no_grad())
            RunOnnx(file, input).ShouldBe(net.call(input).data<float>().ToArray());
    }

    private static float[] RunOnnx(string file, Tensor input)
    {
        using var session = new InferenceSession(file);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), input.shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], [OnnxExporter.OutputName]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The overload for any module (a zoo model built by name is an <c>nn.Module</c>) writes a network with several
    /// outputs with its named outputs, and a one-output module with its one output <c>output</c>.</summary>
    [Fact]
    public void Exporting_a_module_whose_type_is_known_only_at_run_time_picks_its_outputs()
    {
        using var scope = NewDisposeScope();
        nn.Module pyramid = CreatePyramid();
        nn.Module sequence = new Sequence(new FeatureShape(3, 4, 4), 0, s => s.Append(nn.Conv2d(3, 2, 1)));
        var pyramidFile = Path.Combine(directory, "pyramid.onnx");
        var sequenceFile = Path.Combine(directory, "sequence.onnx");

        OnnxExporter.ExportFile(pyramid, pyramidFile).NetworkName.ShouldBe(nameof(Pyramid));
        using (var stream = File.Create(sequenceFile))
            OnnxExporter.Export(sequence, stream).InputShape.ShouldBe(new FeatureShape(3, 4, 4));

        ModelProto.Parser.ParseFrom(File.ReadAllBytes(pyramidFile)).Graph.Output.Select(o => o.Name).ShouldBe(["p3", "p4", "p5", "p4_features"]);
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(sequenceFile)).Graph.Output.Select(o => o.Name).ShouldBe([OnnxExporter.OutputName]);
        pyramid.Dispose();
        sequence.Dispose();
    }

    private sealed class TwoInTwoOut : GraphBlock
    {
        public TwoInTwoOut() : base(nameof(TwoInTwoOut))
        {
            SetSlotCount(2);
            Keep(0, 1);
            SetOutputs(1, 0);
        }
    }

    [Fact]
    public void A_module_that_neither_maps_a_tensor_to_a_tensor_nor_has_named_outputs_is_refused_and_no_file_is_written()
    {
        using var block = new TwoInTwoOut();
        var file = Path.Combine(directory, "block.onnx");

        Should.Throw<OnnxExportException>(() => OnnxExporter.ExportFile(block, file, new OnnxExportOptions(InputShape: new FeatureShape(1, 2, 2))))
            .Message.ShouldContain("neither maps one tensor to one tensor nor is a network with named outputs");
        File.Exists(file).ShouldBeFalse();
    }

    [Fact]
    public void A_multi_output_network_that_is_not_a_graph_of_steps_is_refused()
    {
        using var scope = NewDisposeScope();
        using var pyramid = CreatePyramid();
        using var inference = pyramid.ForInference();

        Should.Throw<OnnxExportException>(() => OnnxExporter.Export(inference, Stream.Null)).Message
            .ShouldContain("is not a generated network with outputs (a GraphNetwork)");
    }
}
