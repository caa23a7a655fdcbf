using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// Concatenated ReLU (Shang et al. 2016): <c>relu(cat([x, -x], dim: 1))</c>. Doubles the channels:
/// input <c>[N, C, H, W]</c>, output <c>[N, 2C, H, W]</c> whose first C channels are <c>relu(x)</c> and
/// last C channels <c>relu(-x)</c>. No parameters.
/// </summary>
public sealed class CReLU : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates a concatenated ReLU.</summary>
    public CReLU() : base(nameof(CReLU)) { }

    /// <summary>Returns <c>relu(cat([x, -x], dim: 1))</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var negated = input.neg();
        using var both = cat(new[] { input, negated }, 1);
        return nn.functional.relu(both);
    }
}
