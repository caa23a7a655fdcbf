namespace NetDsl.Examples.Training;

public enum OptimizerKind
{
    /// <summary>Adam (β 0.9/0.999): converges fast on small CNNs with little tuning.</summary>
    Adam,

    /// <summary>SGD with <see cref="TrainingOptions.Momentum"/>.</summary>
    SgdMomentum,
}

/// <summary>
/// Hyper-parameters of a training run. The defaults (Adam, lr 1e-3 decayed ×0.7 per epoch, batch 64)
/// bring a small CNN past 97 % on the 2,000 test digits within three epochs on the 8,000 training digits.
/// </summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 3;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Factor applied to the learning rate after each epoch (step schedule); 1 keeps it constant.</summary>
    public double LearningRateDecay { get; init; } = 0.7;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Momentum for <see cref="OptimizerKind.SgdMomentum"/>; ignored by Adam.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Seeds batch shuffling and torch's generator (dropout), so a run can be repeated.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Batch size for evaluation, where no gradients are kept, so larger batches are cheap.</summary>
    public int EvaluationBatchSize { get; init; } = 500;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluationBatchSize, 1, nameof(EvaluationBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate, nameof(LearningRate));
        if (LearningRateDecay is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "decay must be in (0, 1]");
        if (Momentum is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "momentum must be in [0, 1)");
    }
}
