namespace NetDsl.Examples.Training;

/// <summary>Reported after every training batch, for live progress displays.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="Loss">Mean cross-entropy of this batch.</param>
/// <param name="EpochMeanLoss">Mean loss over the epoch's examples so far.</param>
/// <param name="SamplesPerSecond">Training throughput since the run started.</param>
/// <param name="Remaining">Estimated time until the last batch of the last epoch, from the throughput so far.</param>
public sealed record BatchProgress(
    int Epoch, int Epochs, int Batch, int BatchesPerEpoch,
    double Loss, double EpochMeanLoss, double LearningRate,
    double SamplesPerSecond, TimeSpan Elapsed, TimeSpan Remaining);

/// <summary>Reported after every complete epoch.</summary>
/// <param name="Validation">Evaluation on the held-out data, when the run was given some.</param>
public sealed record EpochSummary(
    int Epoch, double TrainLoss, double TrainAccuracy, double LearningRate,
    TimeSpan Duration, EvaluationResult? Validation);
