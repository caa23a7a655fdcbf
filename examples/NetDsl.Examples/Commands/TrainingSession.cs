using System.Diagnostics;
using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using NetDsl.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>
/// One <c>train</c> run: picks the model, checks it fits the digits, resumes from its checkpoint if asked,
/// trains with live progress, and after every epoch saves the checkpoint (with its history) and the plot,
/// so a run stopped by Ctrl+C keeps its last complete epoch.
/// </summary>
public sealed class TrainingSession(IAnsiConsole console, ModelCatalog? catalog = null)
{
    private readonly ModelCatalog _catalog = catalog ?? ModelCatalog.Default;

    /// <returns>0 when training ran (or had nothing left to do), 1 for a problem with the arguments or the checkpoint.</returns>
    public int Run(TrainingRequest request, CancellationToken cancellation = default)
    {
        if (_catalog.Find(request.Model) is not { } model)
            return CommandErrors.Report(console, _catalog.UnknownModelMessage(request.Model));
        if (DigitsFit.WhyNot(model, _catalog.Models) is { } misfit)
            return CommandErrors.Report(console, misfit);

        var digits = DigitsFile.LoadDefault();
        var (train, test) = request.Limit is { } limit ? (digits.Train.Take(limit), digits.Test.Take(limit)) : (digits.Train, digits.Test);

        random.manual_seed(request.Seed); // the initial weights
        using var module = model.Create();
        var history = new List<EpochMetrics>();
        if (request.InitFrom is { } initial)
        {
            if (request.Resume)
                return CommandErrors.Report(console, "--init-from starts a new run and --resume continues one: give only one of them");
            var (weights, refusal) = WeightFiles.Load(module, model, initial);
            if (refusal is not null)
                return CommandErrors.Report(console, $"cannot start from {initial}: {refusal}");
            console.MarkupLine(Markup.Escape($"starting {model.Name} from {weights!.Description}"));
        }
        if (request.Resume)
        {
            var (info, refusal) = CheckpointGuard.Load(module, model, request.WeightsPath);
            if (refusal is not null)
                return CommandErrors.Report(console, $"cannot resume: {refusal}");
            history.AddRange(info!.History);
            console.MarkupLine(Markup.Escape($"resuming {model.Name} from {request.WeightsPath} after epoch {info.Epoch}"));
        }

        var remaining = request.Epochs - history.Count;
        if (remaining < 1)
        {
            console.MarkupLine(Markup.Escape($"{request.WeightsPath} already has {history.Count} epochs (--epochs {request.Epochs}); raise --epochs to train more."));
            return 0;
        }

        var options = new TrainingOptions
        {
            Epochs = remaining,
            BatchSize = request.BatchSize,
            // A resumed run continues the step schedule and draws new batch orders for its later epochs.
            LearningRate = request.LearningRate * Math.Pow(new TrainingOptions().LearningRateDecay, history.Count),
            Seed = request.Seed + history.Count,
            IntraOpThreads = TrainingDefaults.Threads,
        };
        var trainer = new Trainer(options);
        console.MarkupLine(Markup.Escape(
            $"training {model.Name} ({model.Figures.Parameters:N0} parameters, {model.Figures.Macs / 1e6:F2} M MACs) on {train.Count:N0} digits, " +
            $"testing on {test.Count:N0}: epochs {history.Count + 1}..{request.Epochs}, batch {options.BatchSize}, lr {options.LearningRate:G3}, " +
            $"seed {request.Seed}, {options.IntraOpThreads} threads"));

        var clock = Stopwatch.StartNew();
        void SaveAfterEpoch(EpochSummary summary) => SaveEpoch(request, model, module, history, summary);
        var run = new TrainingProgressView(console).Run(trainer, () =>
        {
            // Subscribed after the view's own handler, so the epoch line comes before the "saved" line.
            trainer.EpochCompleted += SaveAfterEpoch;
            try
            {
                return trainer.Fit(module, train, test, cancellation);
            }
            finally
            {
                trainer.EpochCompleted -= SaveAfterEpoch;
            }
        });

        if (run.Cancelled)
        {
            console.MarkupLine(Markup.Escape(history.Count == 0
                ? "stopped before the first epoch ended: no checkpoint saved"
                : $"stopped: {request.WeightsPath} keeps epoch {history.Count}; continue with --resume"));
        }
        if (run.Last?.Validation is { } final)
        {
            console.MarkupLine(Markup.Escape($"checkpoint: {request.WeightsPath}; plot: {request.PlotPath}; {clock.Elapsed.TotalSeconds:F0} s"));
            console.MarkupLine(Markup.Escape(AccuracyLine(final)));
        }
        return 0;
    }

    /// <summary>"accuracy: 98.00% on 2000 held-out digits".</summary>
    public static string AccuracyLine(EvaluationResult result) =>
        FormattableString.Invariant($"accuracy: {result.Accuracy * 100:F2}% on {result.Count} held-out digits");

    private void SaveEpoch(TrainingRequest request, ModelEntry model, nn.Module module, List<EpochMetrics> history, EpochSummary summary)
    {
        history.Add(EpochMetrics.From(summary) with { Epoch = history.Count + 1 });
        Checkpoint.Save(module, request.WeightsPath,
            new CheckpointInfo(model.Figures.Network, model.Name, history.Count, history.ToList(), DateTimeOffset.UtcNow));
        TrainingPlot.Write(request.PlotPath, history, $"{model.Name} on digits");
        // The working set after each epoch: it should stay flat (every batch's tensors are released).
        console.MarkupLine(Markup.Escape($"  saved epoch {history.Count}; working set {Environment.WorkingSet / (1024 * 1024):N0} MiB"));
    }
}
