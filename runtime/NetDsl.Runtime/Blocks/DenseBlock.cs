using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// A DenseNet dense block (Huang et al. 2017): each layer sees the channel concatenation of the block's
/// input and every earlier layer's output, and the block returns the concatenation of all of them.
/// </summary>
/// <remarks>
/// <para><c>features = [x]; for each layer: features.Add(layer(cat(features))); return cat(features)</c>.
/// With input channels C and layers that each add k channels (the growth rate), layer i sees
/// <c>C + (i − 1)·k</c> channels and the output has <c>C + n·k</c>. Every layer must keep the spatial size.</para>
/// <para>Sub-modules are the layers, registered as <c>layer1</c>, <c>layer2</c>, …. No parameters of its own.
/// With no layers the block is the identity. Intermediate concatenations are disposed as soon as the
/// layer that read them is done.</para>
/// </remarks>
public sealed class DenseBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] layers;

    /// <summary>The number of layers.</summary>
    public int LayerCount => layers.Length;

    /// <summary>Creates a dense block.</summary>
    /// <param name="layers">The layers, in order; registered as <c>layer1</c>, <c>layer2</c>, ….</param>
    /// <exception cref="ArgumentException">A layer is null.</exception>
    public DenseBlock(params nn.Module<Tensor, Tensor>[] layers) : base(nameof(DenseBlock))
    {
        if (layers.Any(l => l is null))
            throw new ArgumentException("a dense block's layers must not be null", nameof(layers));
        this.layers = layers.ToArray();
        for (var i = 0; i < this.layers.Length; i++)
            register_module(LayerName(i), this.layers[i]);
    }

    /// <summary>Runs the layers densely connected and returns the concatenation of input and all outputs.</summary>
    /// <exception cref="ArgumentException">A layer changed the spatial size, so the features cannot be concatenated.</exception>
    public override Tensor forward(Tensor input)
    {
        if (layers.Length == 0)
            return input.alias();
        var features = new List<Tensor>(layers.Length + 1) { input };
        Tensor? joined = null;
        try
        {
            foreach (var layer in layers)
            {
                joined = features.Count == 1 ? input : BlockSupport.ConcatChannels(features, "dense block", FeatureName);
                var output = layer.call(joined);
                if (!ReferenceEquals(joined, input) && !ReferenceEquals(joined, output))
                    joined.Dispose();
                joined = null;
                features.Add(output);
            }
            return BlockSupport.ConcatChannels(features, "dense block", FeatureName);
        }
        finally
        {
            if (joined is not null)
                features.Add(joined);
            BlockSupport.DisposeAllExcept(features, input);
        }
    }

    private static string LayerName(int index) => $"layer{index + 1}";

    // features[0] is the block's input, features[i] the output of layer i.
    private static string FeatureName(int index) => index == 0 ? "input" : LayerName(index - 1);
}
