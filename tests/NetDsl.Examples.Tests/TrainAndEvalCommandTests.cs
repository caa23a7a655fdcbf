using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

/// <summary>
/// <c>train</c>, <c>--resume</c> and <c>eval</c> end to end on 300 digits of each split (the hidden <c>--limit</c>),
/// each test in a directory of its own.
/// </summary>
public sealed class TrainAndEvalCommandTests : IDisposable
{
    private const string Model = "MultiPathNet_Digits";
    private readonly string _out = Path.Combine(Path.GetTempPath(), "netdsl-train-" + Guid.NewGuid().ToString("N"));

    private string Weights => Path.Combine(_out, Model + ".ckpt");

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }

    private ProgramRun Train(params string[] extra) =>
        ProgramRun.Of(["train", "--model", Model, "--limit", "300", "--batch", "50", "--out", _out, .. extra]);

    [Fact]
    public void One_epoch_writes_the_checkpoint_and_the_plot_then_reports_the_accuracy()
    {
        var run = Train("--epochs", "1");

        run.ExitCode.ShouldBe(0, run.Output);
        File.Exists(Weights).ShouldBeTrue();
        var info = Checkpoint.ReadInfo(Weights);
        (info.Network, info.Variant, info.Epoch, info.History.Count).ShouldBe(("MultiPathNet", Model, 1, 1));
        File.ReadAllText(Path.Combine(_out, Model + ".svg")).ShouldStartWith("<svg");
        Directory.GetFiles(_out).Select(Path.GetFileName).Order().ShouldBe([Model + ".ckpt", Model + ".svg"]);
        run.Output.ShouldContain("epoch 1: train loss");
        run.Output.ShouldContain("saved epoch 1; working set");
        run.Output.ShouldMatch(@"accuracy: \d{1,3}\.\d\d% on 300 held-out digits");
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        Train("--epochs", "1", "--seed", "5").ExitCode.ShouldBe(0);
        var first = new CheckpointFile(File.ReadAllBytes(Weights));
        Train("--epochs", "1", "--seed", "5", "--overwrite").ExitCode.ShouldBe(0);

        var second = new CheckpointFile(File.ReadAllBytes(Weights));
        second.State.ShouldBe(first.State);
        second.Sections[2].ShouldBe(first.Sections[2]); // the optimizer state too
    }

    [Fact]
    public void Resume_continues_from_the_checkpoint_up_to_the_total_number_of_epochs()
    {
        Train("--epochs", "1").ExitCode.ShouldBe(0);

        var resumed = Train("--epochs", "2", "--resume");

        resumed.ExitCode.ShouldBe(0, resumed.Output);
        resumed.Output.ShouldContain($"resuming {Model} from {Weights} after epoch 1");
        resumed.Output.ShouldContain("epochs 2..2");
        var info = Checkpoint.ReadInfo(Weights);
        info.Epoch.ShouldBe(2);
        info.History.Select(e => e.Epoch).ShouldBe([1, 2]);
        // The step schedule goes on where it stopped: 2e-3, then 2e-3 x 0.7.
        info.History[1].LearningRate.ShouldBe(info.History[0].LearningRate * 0.7, 1e-12);

        var nothingLeft = Train("--epochs", "2", "--resume");
        nothingLeft.ExitCode.ShouldBe(0);
        nothingLeft.Output.ShouldContain("already has 2 epochs");
    }

    [Fact]
    public void Resume_without_a_checkpoint_says_there_is_none()
    {
        var run = Train("--resume");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain($"error: no checkpoint at {Weights}; train one first, or check the path");
    }

    [Fact]
    public void A_resumed_run_ends_with_exactly_the_weights_optimizer_state_and_history_of_an_uninterrupted_one()
    {
        var uninterrupted = Path.Combine(_out, "uninterrupted");
        ProgramRun.Of("train", "--model", Model, "--limit", "200", "--batch", "50", "--epochs", "2", "--out", uninterrupted).ExitCode.ShouldBe(0);
        var resumed = Path.Combine(_out, "resumed");
        ProgramRun.Of("train", "--model", Model, "--limit", "200", "--batch", "50", "--epochs", "1", "--out", resumed).ExitCode.ShouldBe(0);
        var run = ProgramRun.Of("train", "--model", Model, "--limit", "200", "--batch", "50", "--epochs", "2", "--out", resumed, "--resume");
        run.ExitCode.ShouldBe(0, run.Output);

        var expected = new CheckpointFile(File.ReadAllBytes(Path.Combine(uninterrupted, Model + ".ckpt")));
        var actual = new CheckpointFile(File.ReadAllBytes(Path.Combine(resumed, Model + ".ckpt")));
        actual.State.ShouldBe(expected.State);
        actual.Sections[2].ShouldBe(expected.Sections[2]); // Adam's moments and step counts
        actual.Sections[3].ShouldBe(expected.Sections[3]); // torch's generator
        var history = Checkpoint.ReadInfo(Path.Combine(resumed, Model + ".ckpt")).History;
        history.Select(e => e with { Seconds = 0 }).ShouldBe(
            Checkpoint.ReadInfo(Path.Combine(uninterrupted, Model + ".ckpt")).History.Select(e => e with { Seconds = 0 }));
    }

    [Fact]
    public void A_diverging_run_stops_at_the_bad_batch_and_keeps_the_last_good_checkpoint()
    {
        Train("--epochs", "1").ExitCode.ShouldBe(0);
        var good = File.ReadAllBytes(Weights);
        var plot = File.ReadAllBytes(Path.Combine(_out, Model + ".svg"));

        // Adam moves every weight by about the learning rate in one step: after the first batch at 1e30 the next loss is not finite.
        var run = Train("--epochs", "3", "--resume", "--lr", "1e30");

        run.ExitCode.ShouldBe(1, run.Output);
        run.Output.ShouldContain("lr 7E+29");
        run.Output.ShouldMatch(@"error: training diverged in epoch 2, batch 2 of 6: the (loss|gradient norm) is (NaN|Infinity|-Infinity); " +
                               System.Text.RegularExpressions.Regex.Escape($"{Weights} keeps epoch 1. Lower --lr (it was 1E+30) and continue with --resume"));
        File.ReadAllBytes(Weights).ShouldBe(good);
        File.ReadAllBytes(Path.Combine(_out, Model + ".svg")).ShouldBe(plot);
        var eval = ProgramRun.Of("eval", "--model", Model, "--checkpoint", Weights, "--limit", "100");
        eval.ExitCode.ShouldBe(0);
        eval.Output.ShouldContain($"{Model} after 1 epochs");
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_with_the_keys_and_shapes_that_differ()
    {
        SaveCheckpointOf("MultiPathNet_SE", Weights);

        var resume = Train("--resume");
        var eval = ProgramRun.Of("eval", "--model", Model, "--checkpoint", Weights, "--limit", "100");

        foreach (var run in new[] { resume, eval })
        {
            run.ExitCode.ShouldBe(1);
            run.Output.ShouldContain($"error: {Weights} was trained as MultiPathNet_SE, not {Model}: its parameters do not fit this module:");
            run.Output.ShouldContain("shape mismatch: stem.0.weight is Float32 [24, 1, 3, 3] in the module, Float32 [40, 3, 3, 3] in the checkpoint");
            run.Output.ShouldContain("unexpected in checkpoint: stages.3.0.body.0.path1.0.weight");
        }
    }

    /// <summary>train, eval and predict are for one-output classifiers: a detection network is refused in one line that
    /// names its outputs and points to export, with exit code 1, before any file is read or written.</summary>
    [Theory]
    [InlineData("train", "ResNet18FPN", "4 outputs (p2, p3, p4, p5)")]
    [InlineData("eval", "ResNet18FPN", "4 outputs (p2, p3, p4, p5)")]
    [InlineData("predict", "EfficientDetD0", "10 outputs (c3, c4, c5, c6, c7, b3, b4, b5, b6, b7)")]
    public void A_network_with_several_outputs_is_refused_by_the_classification_commands_in_one_line(string command, string model, string outputs)
    {
        var missing = Path.Combine(_out, "missing");
        string[] args = command switch
        {
            "train" => ["train", "--model", model, "--epochs", "1", "--out", _out],
            "eval" => ["eval", "--model", model, "--checkpoint", missing + ".ckpt"],
            _ => ["predict", "--model", model, "--checkpoint", missing + ".ckpt", "--input", missing + ".npy", "--output", Path.Combine(_out, "y.npy")],
        };

        var run = ProgramRun.Of(args);

        run.ExitCode.ShouldBe(1);
        run.Output.Trim().ShouldBe(
            $"error: {model} gives {outputs}, and `{command}` takes a network with one output; `export --model {model}` writes it as ONNX or as weights");
        Directory.Exists(_out).ShouldBeFalse();
    }

    [Fact]
    public void Eval_prints_the_accuracy_and_a_confusion_matrix_of_the_held_out_digits()
    {
        Train("--epochs", "1").ExitCode.ShouldBe(0);

        var run = ProgramRun.Of("eval", "--model", Model, "--checkpoint", Weights, "--limit", "200");

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain($"{Model} after 1 epochs");
        run.Output.ShouldContain("confusion matrix (rows: actual digit, columns: predicted)");
        var matrixRows = Enumerable.Range(0, 10).Select(d => run.TableRowsStartingWith(d.ToString()).Single()).ToList();
        // Each row: actual digit, ten counts, recall; the counts add up to the 200 digits evaluated.
        matrixRows.Sum(cells => cells[2..12].Sum(long.Parse)).ShouldBe(200);
        run.Output.ShouldMatch(@"accuracy: \d{1,3}\.\d\d% on 200 held-out digits");
    }

    /// <summary>A real checkpoint of <paramref name="name"/> (untrained), as `train` would write it.</summary>
    private static void SaveCheckpointOf(string name, string path)
    {
        using var scope = NewDisposeScope();
        var model = ModelCatalog.Default.Find(name)!;
        using var module = model.Create();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Checkpoint.Save(path, module, new CheckpointInfo(model.Figures.Network, name, 0, [], DateTimeOffset.UtcNow));
    }
}
