using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Merges named feature maps by element-wise sum, left to right: <c>x1 + x2 + …</c> (an FPN's top-down merge).
/// </summary>
/// <remarks>Every input must have the same shape, which is the output's. No parameters.</remarks>
public sealed class FeatureSum : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    /// <summary>The number of features merged.</summary>
    public int InputCount { get; }

    /// <summary>Creates a sum of <paramref name="inputs"/> features.</summary>
    /// <param name="inputs">The number of features, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is below 2.</exception>
    public FeatureSum(int inputs) : base(nameof(FeatureSum)) => InputCount = MergeSupport.CheckCount(inputs);

    /// <summary>Returns the element-wise sum of <paramref name="inputs"/>, added left to right.</summary>
    /// <exception cref="ArgumentException">The count differs from <see cref="InputCount"/>, or the shapes differ; the
    /// message lists them.</exception>
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        MergeSupport.CheckInputs(inputs, InputCount, "feature sum");
        MergeSupport.CheckSameShapes(inputs, "feature sum");
        var sum = inputs[0].add(inputs[1]);
        for (var i = 2; i < inputs.Count; i++)
            Inference.InPlace.Keep(sum, sum.add_(inputs[i]));
        return sum;
    }
}
