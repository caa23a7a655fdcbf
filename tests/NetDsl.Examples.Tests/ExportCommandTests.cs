using Microsoft.ML.OnnxRuntime;
using NetDsl.Examples.Commands;
using NetDsl.Examples.Onnx;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using NetDsl.Runtime.Composition;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

/// <summary>
/// <c>export --model M [--checkpoint FILE] --output M.onnx</c>, and the main program's ONNX step after training:
/// files that ONNX Runtime runs (a detection network's with every output), and for bad input one error line, exit
/// code 1 and no file (nor a partial one).
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private const string Model = "MultiPathNet_Digits";
    private readonly string _out = Directory.CreateTempSubdirectory("netdsl-export-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private string Output(string name = Model + ".onnx") => Path.Combine(_out, name);

    /// <summary>The directory holds nothing but <paramref name="expected"/>: no temporary or partial file.</summary>
    private void OnlyFilesAre(params string[] expected) =>
        Directory.EnumerateFiles(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));

    private string SaveCheckpoint(string modelName)
    {
        using var scope = NewDisposeScope();
        using var module = ModelCatalog.Default.Find(modelName)!.Build();
        return SaveCheckpoint(modelName, module);
    }

    /// <summary>Saves <paramref name="module"/>'s weights as an epoch-1 checkpoint of <paramref name="modelName"/>.</summary>
    private string SaveCheckpoint(string modelName, nn.Module module)
    {
        var model = ModelCatalog.Default.Find(modelName)!;
        var weights = Path.Combine(_out, modelName + Checkpoint.Extension);
        Checkpoint.Save(weights, module, new CheckpointInfo(model.Figures.Network, model.Name, 1,
            [new EpochMetrics(1, TrainLoss: 0.5, TrainAccuracy: 0.9, TestLoss: null, TestAccuracy: null, LearningRate: 0.01, Seconds: 1)], DateTimeOffset.UtcNow));
        return weights;
    }

    [Fact]
    public void Export_writes_an_onnx_file_that_onnx_runtime_runs_with_the_checkpoints_weights()
    {
        var weights = SaveCheckpoint(Model);

        var run = ProgramRun.Of("export", "--model", Model, "--checkpoint", weights, "--output", Output());

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain($"wrote {Output()} (ONNX model, opset 17, with the weights as initializers): {Model} from epoch 1 of {weights}");
        using var session = new InferenceSession(Output());
        session.ModelMetadata.GraphName.ShouldBe(Model);
        session.InputMetadata["input"].Dimensions.ShouldBe([-1, 1, 28, 28]);
        OnlyFilesAre(Model + ".onnx", Model + ".ckpt");
    }

    /// <summary>
    /// A detection network (fpn.nn: <c>outputs p2, p3, p4, p5</c>) from a checkpoint: one ONNX output per output, named
    /// and shaped as in the .nn file, and ONNX Runtime gives, for each, what the checkpoint's weights give in TorchSharp.
    /// </summary>
    [Fact]
    public void Export_writes_a_network_with_several_outputs_each_named_as_in_its_nn_file_with_the_checkpoints_weights()
    {
        const string fpn = "ResNet18FPN";
        using var scope = NewDisposeScope();
        random.manual_seed(7);    // not the export's default seed 42: the file must hold the checkpoint's weights
        using var module = ModelCatalog.Default.Find(fpn)!.Build();
        var weights = SaveCheckpoint(fpn, module);

        var run = ProgramRun.Of("export", "--model", fpn, "--checkpoint", weights, "--output", Output("fpn.onnx"));

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain($"wrote {Output("fpn.onnx")} (ONNX model, opset 17, with the weights as initializers): {fpn} from epoch 1 of {weights}");
        OnlyFilesAre("fpn.onnx", fpn + ".ckpt");
        using var session = new InferenceSession(Output("fpn.onnx"));
        session.ModelMetadata.GraphName.ShouldBe(fpn);
        session.InputMetadata["input"].Dimensions.ShouldBe([-1, 3, 224, 224]);
        session.OutputMetadata.Keys.ShouldBe(["p2", "p3", "p4", "p5"]);
        session.OutputMetadata.Values.Select(o => o.Dimensions).ShouldBe([[-1, 256, 56, 56], [-1, 256, 28, 28], [-1, 256, 14, 14], [-1, 256, 7, 7]]);

        var network = (IMultiOutputNetwork)module;
        module.eval();
        var input = randn(1, 3, 224, 224);
        IReadOnlyList<Tensor> expected;
        using (no_grad())
            expected = network.ForwardFeatures(input);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input.data<float>().ToArray(), input.shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input"], [inputValue], network.OutputNames.ToArray());
        for (var i = 0; i < expected.Count; i++)
        {
            var wanted = expected[i].data<float>().ToArray();
            var actual = results[i].GetTensorDataAsSpan<float>().ToArray();
            var scale = wanted.Max(Math.Abs);
            scale.ShouldBeGreaterThan(0f);
            actual.Zip(wanted, (a, e) => Math.Abs(a - e)).Max().ShouldBeLessThanOrEqualTo(1e-4f * scale, network.OutputNames[i]);
        }
    }

    /// <summary>The weights of a network with several outputs, in both weight formats: read back by name into a fresh
    /// EfficientDetD0, they are the weights seed 42 gives (the default without --checkpoint), entry for entry.</summary>
    [Theory]
    [InlineData("effdet.safetensors")]
    [InlineData("effdet.pt")]
    public void The_weights_of_a_network_with_several_outputs_are_exported_too(string file)
    {
        const string model = "EfficientDetD0";
        var entry = ModelCatalog.Default.Find(model)!;

        var run = ProgramRun.Of("export", "--model", model, "--output", Output(file));

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain($"wrote {Output(file)} (");
        run.Output.ShouldContain($"{model} initialised from seed 42");
        OnlyFilesAre(file);
        using var scope = NewDisposeScope();
        random.manual_seed(42);
        using var expected = entry.Build();
        random.manual_seed(1);
        using var loaded = entry.Build();
        using (var stream = File.OpenRead(Output(file)))
            NetDsl.Runtime.Interop.PyTorchWeights.Load(loaded, stream, NetDsl.Runtime.Interop.WeightFormats.FromPath(file)!.Value, file);
        var wanted = expected.state_dict();
        var actual = loaded.state_dict();
        actual.Keys.ShouldBe(wanted.Keys);
        wanted.Count.ShouldBeGreaterThan(500);    // every entry of the backbone, the three BiFPN layers and the two heads
        foreach (var (key, tensor) in wanted)
            TensorAssertions.Identical(actual[key], tensor).ShouldBeTrue(key);
    }

    [Fact]
    public void Without_a_checkpoint_the_initial_weights_are_exported()
    {
        var run = ProgramRun.Of("export", "--model", "MobileNetV1_025", "--output", Output("m.onnx"));

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain("MobileNetV1_025 initialised from seed 42");
        OnlyFilesAre("m.onnx");
    }

    [Fact]
    public void An_output_in_a_missing_directory_is_one_error_line_and_no_file()
    {
        var target = Path.Combine(_out, "missing", "m.onnx");

        var run = ProgramRun.Of("export", "--model", Model, "--output", target);

        run.ExitCode.ShouldBe(1);
        run.Output.Trim().ShouldBe($"error: cannot write {target}: the directory {Path.Combine(_out, "missing")} does not exist");
        OnlyFilesAre();
    }

    [Fact]
    public void An_output_that_is_a_directory_is_one_error_line()
    {
        Directory.CreateDirectory(Output("taken.onnx"));

        var run = ProgramRun.Of("export", "--model", Model, "--output", Output("taken.onnx"));

        run.ExitCode.ShouldBe(1);
        run.Output.Trim().ShouldBe($"error: cannot write {Output("taken.onnx")}: {Output("taken.onnx")} is a directory, not a file");
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_and_an_existing_file_is_left_as_it_was()
    {
        var weights = SaveCheckpoint("MobileNetV1_025");
        File.WriteAllText(Output(), "previous export");

        var run = ProgramRun.Of("export", "--model", Model, "--checkpoint", weights, "--output", Output());

        run.ExitCode.ShouldBe(1);
        // One error line, then the differing entries, one indented line each.
        var lines = run.Output.Trim().Split('\n');
        lines[0].ShouldMatch(
            $@"^error: cannot export: {System.Text.RegularExpressions.Regex.Escape(weights)} was trained as MobileNetV1_025, not {Model}: its parameters do not fit this module:$");
        lines.Skip(1).ShouldAllBe(line => line.StartsWith("  "));
        lines.ShouldContain("  shape mismatch: fc.weight is Float32 [10, 96] in the module, Float32 [1000, 256] in the checkpoint");
        File.ReadAllText(Output()).ShouldBe("previous export");
        OnlyFilesAre(Model + ".onnx", "MobileNetV1_025.ckpt");
    }

    [Fact]
    public void A_missing_checkpoint_is_one_error_line_and_no_file()
    {
        var run = ProgramRun.Of("export", "--model", Model, "--checkpoint", Output("none.ckpt"), "--output", Output());

        run.ExitCode.ShouldBe(1);
        run.Output.Trim().ShouldBe($"error: cannot export: no checkpoint at {Output("none.ckpt")}; train one first, or check the path");
        OnlyFilesAre();
    }

    [Fact]
    public void An_unknown_extension_names_the_formats()
    {
        var run = ProgramRun.Of("export", "--model", Model, "--output", Output("m.tflite"));

        run.ExitCode.ShouldBe(1);
        run.Output.Trim().ShouldBe($"error: cannot export to {Output("m.tflite")}: the extension picks the format, one of .pt, .pth, .safetensors, .onnx");
        OnlyFilesAre();
    }

    [Fact]
    public void After_training_the_onnx_file_has_torchsharps_accuracy_on_the_held_out_digits()
    {
        ProgramRun.Of("train", "--model", Model, "--limit", "300", "--batch", "50", "--epochs", "1", "--out", _out).ExitCode.ShouldBe(0);
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 250;

        var exitCode = OnnxDigitsCheck.Run(console, new TrainingRequest(Model, OutDirectory: _out, Limit: 300));

        exitCode.ShouldBe(0, writer.ToString());
        var line = writer.ToString().Split('\n').Single(l => l.StartsWith("accuracy on 300 held-out digits", StringComparison.Ordinal));
        var match = System.Text.RegularExpressions.Regex.Match(line, @"TorchSharp (\d+\.\d\d)%, ONNX Runtime (\d+\.\d\d)%");
        match.Success.ShouldBeTrue(line);
        match.Groups[2].Value.ShouldBe(match.Groups[1].Value);
        File.Exists(Path.Combine(_out, Model + ".onnx")).ShouldBeTrue();
    }
}
