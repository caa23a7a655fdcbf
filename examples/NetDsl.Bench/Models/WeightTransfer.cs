using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Bench.Models;

/// <summary>Gives two modules of the same architecture the same weights, and weights worth comparing.</summary>
public static class WeightTransfer
{
    /// <summary>
    /// Copies every parameter and buffer of <paramref name="source"/> into <paramref name="target"/> by position
    /// (registration order), after checking that both have as many tensors, of the same shapes, in that order.
    /// Names are not compared: the two modules name their parts differently.
    /// </summary>
    /// <returns>The number of tensors copied.</returns>
    /// <exception cref="InvalidOperationException">The modules differ; the message names the first mismatch.</exception>
    public static int CopyByPosition(nn.Module source, nn.Module target)
    {
        var from = source.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(source.named_buffers()).ToArray();
        var to = target.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(target.named_buffers()).ToArray();
        if (from.Length != to.Length)
            throw new InvalidOperationException(
                $"{source.GetName()} has {from.Length} parameters and buffers but {target.GetName()} has {to.Length}");
        for (var i = 0; i < from.Length; i++)
        {
            if (!from[i].Item2.shape.SequenceEqual(to[i].Item2.shape) || from[i].Item2.dtype != to[i].Item2.dtype)
                throw new InvalidOperationException(
                    $"tensor {i}: {from[i].name} {Describe(from[i].Item2)} does not match {to[i].name} {Describe(to[i].Item2)}");
        }
        using (no_grad())
        {
            for (var i = 0; i < from.Length; i++)
                to[i].Item2.copy_(from[i].Item2);
        }
        return from.Length;
    }

    /// <summary>
    /// Replaces batch norm's identity start (weight 1, bias 0, mean 0, variance 1) with random values, so a
    /// parameter copied to the wrong place changes the output instead of hiding among equal values.
    /// </summary>
    public static void RandomizeNormalization(nn.Module module, int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (_, child) in module.named_modules())
            {
                if (child is not BatchNorm norm)
                    continue;
                norm.weight.uniform_(0.5, 1.5, generator);
                norm.bias?.normal_(0, 0.1, generator);
                norm.running_mean?.normal_(0, 0.1, generator);
                norm.running_var?.uniform_(0.5, 1.5, generator);
            }
        }
    }

    public static long CountParameters(nn.Module module) => module.parameters().Sum(p => p.numel());

    private static string Describe(Tensor tensor) => $"{tensor.dtype} [{string.Join(", ", tensor.shape)}]";
}
