namespace NetDsl.Examples.Training;

/// <summary>Metrics of one epoch as kept in a checkpoint.</summary>
public sealed record EpochMetrics(
    int Epoch, double TrainLoss, double TrainAccuracy, double? TestLoss, double? TestAccuracy,
    double LearningRate, double Seconds)
{
    public static EpochMetrics From(EpochSummary summary) => new(
        summary.Epoch, summary.TrainLoss, summary.TrainAccuracy,
        summary.Validation?.MeanLoss, summary.Validation?.Accuracy,
        summary.LearningRate, summary.Duration.TotalSeconds);

    /// <summary>The first value that is not a finite number, by name, or null when all are.</summary>
    public string? NonFinite() =>
        !double.IsFinite(TrainLoss) ? $"train loss {TrainLoss}"
        : !double.IsFinite(TrainAccuracy) ? $"train accuracy {TrainAccuracy}"
        : TestLoss is { } testLoss && !double.IsFinite(testLoss) ? $"test loss {testLoss}"
        : TestAccuracy is { } testAccuracy && !double.IsFinite(testAccuracy) ? $"test accuracy {testAccuracy}"
        : !double.IsFinite(LearningRate) ? $"learning rate {LearningRate}"
        : !double.IsFinite(Seconds) ? $"duration {Seconds}"
        : null;
}

/// <summary>What a checkpoint says about the weights it holds.</summary>
/// <param name="Network">Name of the network (e.g. the .nn file's network).</param>
/// <param name="Variant">Which configuration of that network, e.g. a width or depth setting.</param>
/// <param name="Epoch">Epochs trained when the weights were saved: as many as <paramref name="History"/> lists.</param>
public sealed record CheckpointInfo(
    string Network, string Variant, int Epoch, IReadOnlyList<EpochMetrics> History, DateTimeOffset SavedAt)
{
    /// <summary>Why this description cannot be true, or null when it is consistent.</summary>
    public string? Inconsistency()
    {
        if (string.IsNullOrWhiteSpace(Network) || string.IsNullOrWhiteSpace(Variant))
            return "it does not say which network and variant it holds";
        if (Epoch < 0 || Epoch != History.Count)
            return $"it says epoch {Epoch} but its history has {History.Count} epochs";
        for (var i = 0; i < History.Count; i++)
        {
            if (History[i] is null || History[i].Epoch != i + 1)
                return $"entry {i + 1} of its history is {(History[i] is null ? "empty" : $"epoch {History[i].Epoch}")}";
            if (History[i].NonFinite() is { } value)
                return $"epoch {i + 1} of its history has {value}";
        }
        return null;
    }
}
