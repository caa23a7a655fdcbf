using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Stochastic depth (Huang et al. 2016), torchvision's <c>StochasticDepth(p, mode: "row")</c>: in training,
/// each sample of the batch is zeroed with probability <see cref="Probability"/> and otherwise scaled by
/// <c>1 / (1 − p)</c>, so the expected output equals the input. Identity in evaluation mode or when
/// p = 0. Placed at the end of a residual body, it drops the whole branch for the chosen samples.
/// </summary>
/// <remarks>Any input shape whose first dimension is the batch. No parameters. Draws from TorchSharp's
/// global generator (<c>torch.manual_seed</c> makes it repeatable).</remarks>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    /// <summary>The probability p that a sample's path is dropped, in [0, 1).</summary>
    public double Probability { get; }

    /// <summary>Creates a stochastic-depth block.</summary>
    /// <param name="probability">Drop probability p, with 0 ≤ p &lt; 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="probability"/> is not in [0, 1)
    /// (p = 1 would drop every sample and scale by infinity).</exception>
    public DropPath(double probability) : base(nameof(DropPath))
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability,
                $"drop-path probability must be at least 0 and below 1, got {probability}");
        Probability = probability;
    }

    /// <summary>Drops whole samples in training; returns the input unchanged (as an alias) otherwise.</summary>
    public override Tensor forward(Tensor input)
    {
        if (!training || Probability == 0)
            return input.alias();
        var keep = 1 - Probability;
        var maskShape = new long[input.dim()];
        Array.Fill(maskShape, 1L);
        maskShape[0] = input.shape[0];
        using var mask = empty(maskShape, dtype: input.dtype, device: input.device);
        mask.bernoulli_(keep).div_(keep);
        return input * mask;
    }
}
