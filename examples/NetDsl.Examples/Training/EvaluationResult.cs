namespace NetDsl.Examples.Training;

/// <summary>How a classifier did on a data set.</summary>
/// <param name="MeanLoss">Mean cross-entropy per example.</param>
public sealed record EvaluationResult(double MeanLoss, ConfusionMatrix Confusion)
{
    public double Accuracy => Confusion.Accuracy;

    public long Count => Confusion.Total;
}
