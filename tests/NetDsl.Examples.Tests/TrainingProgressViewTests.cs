using NetDsl.Examples.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public class TrainingProgressViewTests
{
    [Fact]
    public void The_view_runs_the_training_and_prints_one_line_per_epoch()
    {
        using var scope = NewDisposeScope();
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(output),
        });
        using var model = TinyCnn.Create(seed: 31, width: 4);
        var trainer = new Trainer(new TrainingOptions { Epochs = 2, BatchSize = 64 });
        var train = DigitsTestFile.Dataset.Train.Take(128);

        var history = new TrainingProgressView(console).Run(trainer, () => trainer.Fit(model, train));

        history.Epochs.Count.ShouldBe(2);
        var text = output.ToString();
        text.ShouldContain(TrainingProgressView.Describe(history.Epochs[0]));
        text.ShouldContain(TrainingProgressView.Describe(history.Epochs[1]));
    }

    [Fact]
    public void An_epoch_line_gives_losses_accuracies_learning_rate_and_duration()
    {
        var confusion = new ConfusionMatrix(2);
        confusion.Add(0, 0);
        confusion.Add(1, 0);
        var summary = new EpochSummary(2, 0.12345, 0.9654, 7e-4, TimeSpan.FromSeconds(12.34), new EvaluationResult(0.0712, confusion));

        TrainingProgressView.Describe(summary).ShouldBe(
            "epoch 2: train loss 0.1235, accuracy 96.54 %; test loss 0.0712, accuracy 50.00 % (lr 0.0007, 12.3 s)");
    }
}
