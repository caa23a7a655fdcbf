using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// EfficientDet's fast normalized fusion (Tan et al. 2020): learned non-negative weights, normalized to sum to about
/// one, <c>w = relu(weight)</c>, <c>out = Σᵢ wᵢ·xᵢ / (ε + Σⱼ wⱼ)</c>.
/// </summary>
/// <remarks>
/// <para>One parameter, <c>weight</c>, of shape <c>[inputs]</c>, initialised to ones (an equal-weight average to
/// start with). As in EfficientDet's code, the weights are normalized first, <c>wᵢ / (ε + Σⱼ wⱼ)</c>, and the
/// scaled features are then added left to right. Every input must have the same shape, which is the output's.</para>
/// </remarks>
public sealed class WeightedFusion : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    // The field name is the registered parameter name.
    private readonly Parameter weight;

    /// <summary>The number of features merged.</summary>
    public int InputCount { get; }

    /// <summary>ε, which keeps the division finite when every weight is zero.</summary>
    public double Epsilon { get; }

    /// <summary>The learned weights before the ReLU, one per input.</summary>
    public Parameter Weight => weight;

    /// <summary>Creates a fusion of <paramref name="inputs"/> features.</summary>
    /// <param name="inputs">The number of features, at least 2.</param>
    /// <param name="epsilon">ε, positive (EfficientDet uses 1e-4).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is below 2 or <paramref name="epsilon"/>
    /// is not positive.</exception>
    public WeightedFusion(int inputs, double epsilon = 1e-4) : base(nameof(WeightedFusion))
    {
        InputCount = MergeSupport.CheckCount(inputs);
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "weighted fusion needs a positive, finite epsilon");
        Epsilon = epsilon;
        weight = nn.Parameter(ones(inputs));
        register_parameter(nameof(weight), weight);
    }

    /// <summary>The weights applied to the inputs, <c>relu(weight) / (ε + Σ relu(weight))</c> (a new tensor).</summary>
    public Tensor NormalizedWeights()
    {
        using var positive = nn.functional.relu(weight);
        using var total = positive.sum();
        using var denominator = total.add(Epsilon);
        return positive.div(denominator);
    }

    /// <summary>Returns <c>Σᵢ wᵢ·xᵢ</c> with the normalized weights, added left to right.</summary>
    /// <exception cref="ArgumentException">The count differs from <see cref="InputCount"/>, or the shapes differ; the
    /// message lists them.</exception>
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        MergeSupport.CheckInputs(inputs, InputCount, "weighted fusion");
        MergeSupport.CheckSameShapes(inputs, "weighted fusion");
        using var weights = NormalizedWeights();
        Tensor? sum = null;
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                using var w = weights[i];
                var term = inputs[i].mul(w);
                if (sum is null)
                {
                    sum = term;
                    continue;
                }
                Inference.InPlace.Keep(sum, sum.add_(term));
                term.Dispose();
            }
            return sum!;
        }
        catch
        {
            sum?.Dispose();
            throw;
        }
    }
}
