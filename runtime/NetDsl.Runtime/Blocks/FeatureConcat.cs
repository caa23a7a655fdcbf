using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Merges named feature maps by concatenating them on channels (dimension 1), in order (U-Net's skip connections).
/// </summary>
/// <remarks>The inputs must agree on every dimension but the channels; the output has the sum of their channels.
/// No parameters.</remarks>
public sealed class FeatureConcat : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    /// <summary>The number of features merged.</summary>
    public int InputCount { get; }

    /// <summary>Creates a channel concatenation of <paramref name="inputs"/> features.</summary>
    /// <param name="inputs">The number of features, at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is below 2.</exception>
    public FeatureConcat(int inputs) : base(nameof(FeatureConcat)) => InputCount = MergeSupport.CheckCount(inputs);

    /// <summary>Returns <c>cat(inputs, dim: 1)</c>.</summary>
    /// <exception cref="ArgumentException">The count differs from <see cref="InputCount"/>, or the shapes differ outside
    /// the channels; the message lists them.</exception>
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        MergeSupport.CheckInputs(inputs, InputCount, "feature concat");
        return BlockSupport.ConcatChannels(inputs.ToArray(), "feature concat", i => $"input {i + 1}");
    }
}
