using NetDsl.Runtime;
using static TorchSharp.torch;

namespace NetDsl.Tests.Shared;

/// <summary>
/// Weights for comparing a module with another implementation of it (the emitted PyTorch code) on the outputs alone.
/// </summary>
internal static class EveryWeightCounts
{
    /// <summary>
    /// Gives <paramref name="module"/> weights under which every layer shows in the outputs, and leaves it in evaluation
    /// mode. With PyTorch's default initialisation activations shrink layer after layer, and batch-norm statistics drawn
    /// at random push them into ReLU's dead zone: the outputs are then little more than the last layer's bias, and a weight
    /// loaded into the wrong place further in changes them by less than any tolerance (by nothing at all in ResNet-50).
    /// So convolutions and linear layers get He-normal weights, batch norms random scales and shifts and, as running
    /// statistics, those of <paramref name="input"/> itself (one training pass of <paramref name="forward"/> with momentum
    /// 1: every layer's differ, so a misplaced buffer shows), and fusion weights random positive values (each fusion's
    /// differ).
    /// </summary>
    public static void Apply(nn.Module module, Func<Tensor, IReadOnlyList<Tensor>> forward, Tensor input, ulong seed)
    {
        var generator = new TorchSharp.torch.Generator(seed);
        var norms = new List<TorchSharp.Modules.NormBase>();
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            switch (child)
            {
                case TorchSharp.Modules.Convolution conv:
                    // Each output sums in_channels / groups x k x k inputs (a transposed convolution's, in / groups x (k / s)^2).
                    var taps = conv.kernel_size.Aggregate(1L, (a, b) => a * b);
                    var fanIn = conv.transposed
                        ? conv.in_channels / conv.groups * taps / conv.stride.Aggregate(1L, (a, b) => a * b)
                        : conv.in_channels / conv.groups * taps;
                    conv.weight.normal_(0, Math.Sqrt(2.0 / Math.Max(1, fanIn)), generator);
                    break;
                case TorchSharp.Modules.Linear linear:
                    linear.weight.normal_(0, Math.Sqrt(2.0 / linear.in_features), generator);
                    break;
                case TorchSharp.Modules.NormBase norm:
                    norm.weight?.uniform_(0.5, 1.5, generator);
                    norm.bias?.uniform_(-0.2, 0.2, generator);
                    norms.Add(norm);
                    break;
                case WeightedFusion fusion:
                    fusion.Weight.uniform_(0.2, 1.0, generator);
                    break;
            }
        }
        foreach (var norm in norms)
            norm.momentum = 1.0;
        module.train();
        foreach (var output in forward(input))
            output.Dispose();
        foreach (var norm in norms)
            norm.momentum = 0.1;
        module.eval();
    }
}
