namespace NetDsl.Examples.Training;

/// <summary>Metrics of one epoch as kept in a checkpoint's JSON sidecar.</summary>
public sealed record EpochMetrics(
    int Epoch, double TrainLoss, double TrainAccuracy, double? TestLoss, double? TestAccuracy,
    double LearningRate, double Seconds)
{
    public static EpochMetrics From(EpochSummary summary) => new(
        summary.Epoch, summary.TrainLoss, summary.TrainAccuracy,
        summary.Validation?.MeanLoss, summary.Validation?.Accuracy,
        summary.LearningRate, summary.Duration.TotalSeconds);
}

/// <summary>What the JSON sidecar of a checkpoint says about the weights beside it.</summary>
/// <param name="Network">Name of the network (e.g. the .nn file's network).</param>
/// <param name="Variant">Which configuration of that network, e.g. a width or depth setting.</param>
/// <param name="Epoch">Epochs trained when the weights were saved.</param>
public sealed record CheckpointInfo(
    string Network, string Variant, int Epoch, IReadOnlyList<EpochMetrics> History, DateTimeOffset SavedAt)
{
    public static CheckpointInfo FromHistory(string network, string variant, TrainingHistory history, int earlierEpochs = 0) => new(
        network, variant, earlierEpochs + history.Epochs.Count,
        history.Epochs.Select(EpochMetrics.From).Select(m => m with { Epoch = m.Epoch + earlierEpochs }).ToList(),
        DateTimeOffset.UtcNow);
}
