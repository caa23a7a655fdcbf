namespace NetDsl.Examples.Training;

/// <summary>What a <see cref="Trainer.Fit"/> run did: one summary per completed epoch.</summary>
/// <param name="Cancelled">True when cancellation stopped the run; a partly trained epoch has no summary.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochSummary> Epochs, bool Cancelled, TimeSpan Duration)
{
    public EpochSummary? Last => Epochs.Count == 0 ? null : Epochs[^1];
}
