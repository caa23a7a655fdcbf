using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>
/// Labelled examples a classifier can be trained or evaluated on, readable in batches of any order.
/// </summary>
public interface IClassificationData
{
    int Count { get; }

    int ClassCount { get; }

    /// <summary>
    /// Builds the inputs and int64 labels of the examples at <paramref name="indices"/>, in that order.
    /// The tensors are new: create them inside a dispose scope or dispose them.
    /// </summary>
    (Tensor Inputs, Tensor Labels) CreateBatch(ReadOnlySpan<int> indices);
}
