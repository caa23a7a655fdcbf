using NetDsl.Examples.Training;

namespace NetDsl.Examples.Commands;

/// <summary>The settings of one <c>train</c> run, as the command line gave them.</summary>
/// <param name="Epochs">Epochs in total: with <paramref name="Resume"/>, those already in the checkpoint count.</param>
/// <param name="Resume">Continue from the checkpoint in the directory.</param>
/// <param name="Limit">Train and evaluate on the first N digits of each split only; null for all.</param>
/// <param name="Overwrite">Replace a checkpoint already in the directory (without it, or <paramref name="Resume"/>, the run refuses).</param>
/// <param name="InitFrom">Weights to start from instead of random ones (fine-tuning); any file <see cref="WeightFiles"/> reads.</param>
public sealed record TrainingRequest(
    string Model,
    int Epochs = TrainingDefaults.Epochs,
    int BatchSize = TrainingDefaults.BatchSize,
    double LearningRate = TrainingDefaults.LearningRate,
    int Seed = TrainingDefaults.Seed,
    string? OutDirectory = null,
    bool Resume = false,
    int? Limit = null,
    bool Overwrite = false,
    string? InitFrom = null)
{
    public string Directory => OutDirectory ?? TrainingDefaults.OutDirectory(Model);

    /// <summary>The checkpoint: weights, what they are, and the trainer's state, in one file (see <see cref="Checkpoint"/>).</summary>
    public string CheckpointPath => Path.Combine(Directory, Model + Checkpoint.Extension);

    public string PlotPath => Path.Combine(Directory, Model + ".svg");
}
