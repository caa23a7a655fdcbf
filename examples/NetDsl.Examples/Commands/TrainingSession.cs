using System.Diagnostics;
using System.Globalization;
using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using NetDsl.IO;
using NetDsl.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>
/// One <c>train</c> run: picks the model, checks it fits the digits and that the outputs can be written, resumes
/// from its checkpoint if asked, trains with live progress, and after every epoch saves the checkpoint (weights,
/// history and optimizer state in one file, atomically) and the plot, so a run stopped by Ctrl+C keeps its last
/// complete epoch and a diverging run keeps its last good one.
/// </summary>
public sealed class TrainingSession(IAnsiConsole console, ModelCatalog? catalog = null)
{
    private readonly ModelCatalog _catalog = catalog ?? ModelCatalog.Default;

    /// <returns>0 when training ran (or had nothing left to do); 1 for a problem with a file, the model or the run
    /// (a diverged one included); 2 for contradictory options.</returns>
    public int Run(TrainingRequest request, CancellationToken cancellation = default) =>
        CommandErrors.Guard(console, () => Train(request, cancellation));

    private int Train(TrainingRequest request, CancellationToken cancellation)
    {
        if (request.Resume && request.Overwrite)
            return CommandErrors.Usage(console, "--resume and --overwrite contradict each other: continue the checkpoint, or replace it");
        if (_catalog.Find(request.Model) is not { } model)
            return CommandErrors.Report(console, _catalog.UnknownModelMessage(request.Model));
        if (CommandErrors.SeveralOutputs(model, "train") is { } severalOutputs)
            return CommandErrors.Report(console, severalOutputs);
        if (DigitsFit.WhyNot(model, _catalog.Models) is { } misfit)
            return CommandErrors.Report(console, misfit);

        // Everything that can fail does so before the work: the digits, the outputs, the checkpoint to continue.
        var digits = DigitsFile.LoadDefault();
        var (train, test) = request.Limit is { } limit ? (digits.Train.Take(limit), digits.Test.Take(limit)) : (digits.Train, digits.Test);
        PrepareOutputs(request);
        var checkpoint = request.CheckpointPath;
        if (!request.Resume && !request.Overwrite && File.Exists(checkpoint))
            return CommandErrors.Report(console,
                $"{checkpoint} already holds a checkpoint; continue it with --resume, replace it with --overwrite, or choose another --out");

        random.manual_seed(request.Seed); // the initial weights
        using var module = model.Create();
        var history = new List<EpochMetrics>();
        TrainerState? resumeState = null;
        if (request.InitFrom is { } initial)
        {
            if (request.Resume)
                return CommandErrors.Usage(console, "--init-from starts a new run and --resume continues one: give only one of them");
            var (weights, refusal) = WeightFiles.Load(module, model, initial);
            if (refusal is not null)
                return CommandErrors.Report(console, $"cannot start from {initial}: {refusal}");
            console.MarkupLine(Markup.Escape($"starting {model.Name} from {weights!.Description}"));
        }
        if (request.Resume)
        {
            var info = Checkpoint.Load(checkpoint, module, model.Name, out resumeState);
            history.AddRange(info.History);
            console.MarkupLine(Markup.Escape($"resuming {model.Name} from {checkpoint} after epoch {info.Epoch}"));
        }

        var remaining = request.Epochs - history.Count;
        if (remaining < 1)
        {
            console.MarkupLine(Markup.Escape($"{checkpoint} already has {history.Count} epochs (--epochs {request.Epochs}); raise --epochs to train more."));
            return 0;
        }

        var options = new TrainingOptions
        {
            Epochs = remaining,
            FirstEpoch = history.Count + 1,
            BatchSize = request.BatchSize,
            // A resumed run continues the step schedule (its optimizer state holds the same rate).
            LearningRate = request.LearningRate * Math.Pow(new TrainingOptions().LearningRateDecay, history.Count),
            Seed = request.Seed,
            IntraOpThreads = TrainingDefaults.Threads,
        };
        var trainer = new Trainer(options);
        console.MarkupLine(Markup.Escape(
            $"training {model.Name} ({model.Figures.Parameters:N0} parameters, {model.Figures.Macs / 1e6:F2} M MACs) on {train.Count:N0} digits, " +
            $"testing on {test.Count:N0}: epochs {history.Count + 1}..{request.Epochs}, batch {options.BatchSize}, lr {options.LearningRate:G3}, " +
            $"seed {request.Seed}, {options.IntraOpThreads} threads"));

        var clock = Stopwatch.StartNew();
        void SaveAfterEpoch(EpochSummary summary) => SaveEpoch(request, model, module, trainer, history, summary);
        TrainingHistory run;
        try
        {
            run = new TrainingProgressView(console).Run(trainer, () =>
            {
                // Subscribed after the view's own handler, so the epoch line comes before the "saved" line.
                trainer.EpochCompleted += SaveAfterEpoch;
                try
                {
                    return trainer.Fit(module, train, test, cancellation, resumeState);
                }
                finally
                {
                    trainer.EpochCompleted -= SaveAfterEpoch;
                }
            });
        }
        catch (InvalidDataException e) when (resumeState is not null)
        {
            return CommandErrors.Report(console, $"{checkpoint} cannot be resumed: {e.Message}; train again with --overwrite");
        }
        catch (TrainingDivergedException e)
        {
            var kept = history.Count == 0
                ? "nothing was saved"
                : $"{checkpoint} keeps epoch {history.Count}";
            return CommandErrors.Report(console, string.Create(CultureInfo.InvariantCulture,
                $"{e.Message}; {kept}. Lower --lr (it was {request.LearningRate:G3}) and {(history.Count == 0 ? "train again" : "continue with --resume")}"));
        }

        if (run.Cancelled)
        {
            console.MarkupLine(Markup.Escape(history.Count == 0
                ? "stopped before the first epoch ended: no checkpoint saved"
                : $"stopped: {checkpoint} keeps epoch {history.Count}; continue with --resume"));
        }
        if (run.Last?.Validation is { } final)
        {
            console.MarkupLine(Markup.Escape($"checkpoint: {checkpoint}; plot: {request.PlotPath}; {clock.Elapsed.TotalSeconds:F0} s"));
            console.MarkupLine(Markup.Escape(AccuracyLine(final)));
        }
        return 0;
    }

    /// <summary>"accuracy: 98.00% on 2000 held-out digits".</summary>
    public static string AccuracyLine(EvaluationResult result) =>
        FormattableString.Invariant($"accuracy: {result.Accuracy * 100:F2}% on {result.Count} held-out digits");

    /// <summary>Creates the output directory and proves the checkpoint and plot can be written there, before any training.</summary>
    private static void PrepareOutputs(TrainingRequest request)
    {
        const string remedy = "choose another directory with --out";
        try
        {
            if (File.Exists(request.Directory))
                throw new CommandException($"--out {request.Directory} is a file, not a directory; {remedy}");
            Directory.CreateDirectory(request.Directory);
            AtomicFile.EnsureWritable(request.CheckpointPath);
            AtomicFile.EnsureWritable(request.PlotPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException($"cannot write to --out {request.Directory}: {e.Message}; {remedy}");
        }
    }

    private void SaveEpoch(TrainingRequest request, ModelEntry model, nn.Module module, Trainer trainer, List<EpochMetrics> history, EpochSummary summary)
    {
        var metrics = EpochMetrics.From(summary) with { Epoch = history.Count + 1 };
        var epochs = history.Append(metrics).ToList();
        // Refuses non-finite weights or metrics, keeping the last good checkpoint; then the run stops with that line.
        Checkpoint.Save(request.CheckpointPath, module,
            new CheckpointInfo(model.Figures.Network, model.Name, epochs.Count, epochs, DateTimeOffset.UtcNow),
            trainer.CaptureState());
        history.Add(metrics);
        TrainingPlot.Write(request.PlotPath, history, $"{model.Name} on digits");
        // The working set after each epoch: it should stay flat (every batch's tensors are released).
        console.MarkupLine(Markup.Escape($"  saved epoch {history.Count}; working set {Environment.WorkingSet / (1024 * 1024):N0} MiB"));
    }
}
