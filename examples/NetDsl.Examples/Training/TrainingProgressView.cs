using Spectre.Console;

namespace NetDsl.Examples.Training;

/// <summary>
/// Live console view of a training run: an epoch bar and a batch bar with the latest loss,
/// throughput and time left, plus one summary line per finished epoch.
/// </summary>
public sealed class TrainingProgressView(IAnsiConsole console)
{
    public TrainingProgressView() : this(AnsiConsole.Console)
    {
    }

    /// <summary>
    /// Runs <paramref name="fit"/> (a call that trains with <paramref name="trainer"/>) while showing its progress.
    /// </summary>
    public TrainingHistory Run(Trainer trainer, Func<TrainingHistory> fit)
    {
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(context =>
            {
                var epochs = context.AddTask("epochs", maxValue: trainer.Options.Epochs);
                var batches = context.AddTask("batches", maxValue: 1);

                void OnBatch(BatchProgress p)
                {
                    batches.MaxValue = p.BatchesPerEpoch;
                    batches.Value = p.Batch;
                    batches.Description = Markup.Escape(
                        $"batch {p.Batch}/{p.BatchesPerEpoch}  loss {p.Loss:F4} (epoch mean {p.EpochMeanLoss:F4})  " +
                        $"{p.SamplesPerSecond:N0} samples/s  {FormatDuration(p.Remaining)} left");
                    epochs.Description = $"epoch {p.Epoch}/{p.Epochs}";
                    epochs.Value = p.Epoch - 1 + (double)p.Batch / p.BatchesPerEpoch;
                }

                void OnEpoch(EpochSummary s)
                {
                    epochs.Value = s.Epoch;
                    console.MarkupLine(Markup.Escape(Describe(s)));
                }

                trainer.BatchCompleted += OnBatch;
                trainer.EpochCompleted += OnEpoch;
                try
                {
                    var history = fit();
                    if (history.Cancelled)
                        console.MarkupLine("[yellow]training cancelled after the current batch[/]");
                    return history;
                }
                finally
                {
                    trainer.BatchCompleted -= OnBatch;
                    trainer.EpochCompleted -= OnEpoch;
                }
            });
    }

    /// <summary>One line per epoch, e.g. "epoch 2: train loss 0.1034, accuracy 96.84 %; test loss 0.0712, accuracy 97.80 % (lr 0.0007, 12.3 s)".</summary>
    public static string Describe(EpochSummary s)
    {
        var line = $"epoch {s.Epoch}: train loss {s.TrainLoss:F4}, accuracy {s.TrainAccuracy * 100:F2} %";
        if (s.Validation is { } v)
            line += $"; test loss {v.MeanLoss:F4}, accuracy {v.Accuracy * 100:F2} %";
        return line + $" (lr {s.LearningRate:G4}, {s.Duration.TotalSeconds:F1} s)";
    }

    private static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
