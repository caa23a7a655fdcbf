using System.Globalization;

namespace NetDsl.Examples.Training;

/// <summary>
/// A batch produced a loss or gradient that is not a finite number. Training stops before the optimizer
/// applies it, so the weights are those of the previous batch, and the epoch is not reported as complete.
/// </summary>
public sealed class TrainingDivergedException(int epoch, int batch, int batches, string quantity, double value)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"training diverged in epoch {epoch}, batch {batch} of {batches}: the {quantity} is {value}"))
{
    /// <summary>The epoch, counted from the first of the whole run (resumed epochs included).</summary>
    public int Epoch { get; } = epoch;

    public int Batch { get; } = batch;

    /// <summary>"loss" or "gradient norm".</summary>
    public string Quantity { get; } = quantity;

    public double Value { get; } = value;
}
