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

    private string Weights => Path.Combine(_out, Model + ".weights");

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }

    private ProgramRun Train(params string[] extra) =>
        ProgramRun.Of(["train", "--model", Model, "--limit", "300", "--batch", "50", "--out", _out, .. extra]);

    [Fact]
    public void One_epoch_writes_the_checkpoint_its_description_and_the_plot_then_reports_the_accuracy()
    {
        var run = Train("--epochs", "1");

        run.ExitCode.ShouldBe(0, run.Output);
        File.Exists(Weights).ShouldBeTrue();
        var info = Checkpoint.ReadInfo(Weights);
        (info.Network, info.Variant, info.Epoch, info.History.Count).ShouldBe(("MultiPathNet", Model, 1, 1));
        File.ReadAllText(Path.Combine(_out, Model + ".svg")).ShouldStartWith("<svg");
        run.Output.ShouldContain("epoch 1: train loss");
        run.Output.ShouldContain("saved epoch 1; working set");
        run.Output.ShouldMatch(@"accuracy: \d{1,3}\.\d\d% on 300 held-out digits");
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        Train("--epochs", "1", "--seed", "5").ExitCode.ShouldBe(0);
        var first = File.ReadAllBytes(Weights);
        Train("--epochs", "1", "--seed", "5").ExitCode.ShouldBe(0);

        File.ReadAllBytes(Weights).ShouldBe(first);
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
        run.Output.ShouldContain($"cannot resume: no checkpoint at {Weights}");
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
            run.Output.ShouldContain($"was trained as MultiPathNet_SE, not {Model}");
            run.Output.ShouldContain("shape mismatch: stem.0.weight is Float32 [24, 1, 3, 3] in the module, Float32 [40, 3, 3, 3] in the checkpoint");
            run.Output.ShouldContain("unexpected in checkpoint: stages.3.0.body.0.path1.0.weight");
        }
        resume.Output.ShouldContain("cannot resume:");
        eval.Output.ShouldContain("cannot evaluate:");
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
        Checkpoint.Save(module, path, new CheckpointInfo(model.Figures.Network, name, 1, [], DateTimeOffset.UtcNow));
    }
}
