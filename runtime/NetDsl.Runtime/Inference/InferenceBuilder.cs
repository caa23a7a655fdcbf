using NetDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// Builds the inference copy of a module tree, container by container: sequences get their convolution, batch norm
/// and activation runs fused; blocks are rebuilt around prepared children; layers with weights are copied; layers
/// without state are shared.
/// </summary>
internal sealed class InferenceBuilder(InferenceOptions options)
{
    public nn.Module<Tensor, Tensor> Build(nn.Module<Tensor, Tensor> module, string name) => module switch
    {
        SequentialModule sequence => BuildSequence(sequence, name),
        Residual residual => BuildResidual(residual, name, FusedActivation.None),
        Parallel parallel => new Parallel(parallel.Merge, Paths(parallel, parallel.PathNames)),
        ChannelSplit split => new ChannelSplit(split.SplitSizes.ToArray(), Paths(split, split.PathNames)),
        DenseBlock dense => new DenseBlock(Children(dense).Select(c => Build(c.Module, c.Name)).ToArray()),
        SqueezeExcite excite => CopyWeights(excite, new SqueezeExcite(excite.Channels, excite.SqueezeChannels,
            Child(excite, "activation"), Child(excite, "scale_activation"))),
        CompConv2d comp => CopyWeights(comp, new CompConv2d(comp.InChannels, comp.OutChannels, comp.KernelSize, comp.Stride, comp.Depth)),
        Conv2d conv => new FusedConv2d(name, conv, null, FusedActivation.None, options.ChannelsLast),
        BatchNorm2d norm => new FrozenBatchNorm2d(name, norm, FusedActivation.None),
        Linear linear => CopyWeights(linear, nn.Linear(linear.in_features, linear.out_features, hasBias: linear.bias is not null)),
        Dropout or Dropout2d or AlphaDropout or FeatureAlphaDropout or DropPath => nn.Identity(),
        _ when IsStateless(module) => module,
        _ => throw new NotSupportedException(
            $"ForInference does not know the layer '{name}' ({module.GetType().FullName}); it prepares NetDsl.Runtime's " +
            "blocks and the TorchSharp layers generated code uses"),
    };

    private SequentialModule BuildSequence(SequentialModule sequence, string name)
    {
        var prepared = new SequentialModule(name);
        var children = Children(sequence);
        for (var i = 0; i < children.Count; i++)
        {
            var (childName, child) = children[i];
            switch (child)
            {
                case Conv2d conv:
                {
                    var norm = i + 1 < children.Count ? children[i + 1].Module as BatchNorm2d : null;
                    if (norm is not null)
                        i++;
                    prepared.Append(childName, new FusedConv2d(childName, conv, norm, NextActivation(children, ref i), options.ChannelsLast));
                    break;
                }
                case BatchNorm2d norm:
                    prepared.Append(childName, new FrozenBatchNorm2d(childName, norm, NextActivation(children, ref i)));
                    break;
                case Residual residual:
                    prepared.Append(childName, BuildResidual(residual, childName, NextActivation(children, ref i)));
                    break;
                case Dropout or Dropout2d or AlphaDropout or FeatureAlphaDropout or DropPath:
                    break; // the identity in eval mode
                default:
                    prepared.Append(childName, Build(child, childName));
                    break;
            }
        }
        return prepared;
    }

    private InferenceResidual BuildResidual(Residual residual, string name, FusedActivation activation)
    {
        var children = Children(residual).ToDictionary(c => c.Name, c => c.Module);
        var shortcut = children.GetValueOrDefault("shortcut");
        return new InferenceResidual(name, Build(children["body"], "body"),
            shortcut is null ? null : Build(shortcut, "shortcut"), activation);
    }

    // The activation right after position i, consumed (i advances) when it can run in place.
    private static FusedActivation NextActivation(IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> children, ref int i)
    {
        if (i + 1 < children.Count && FusedActivations.Of(children[i + 1].Module) is { } activation)
        {
            i++;
            return activation;
        }
        return FusedActivation.None;
    }

    private (string? Label, nn.Module<Tensor, Tensor> Path)[] Paths(nn.Module block, IReadOnlyList<string> names)
    {
        var children = Children(block).ToDictionary(c => c.Name, c => c.Module);
        // Default names (path1, path2, ...) come back by themselves; labels are passed on.
        return names.Select((name, i) => (name == $"path{i + 1}" ? null : name, Build(children[name], name))).ToArray();
    }

    private static List<(string Name, nn.Module<Tensor, Tensor> Module)> Children(nn.Module module) =>
        module.named_children().Select(c => (c.name, c.module as nn.Module<Tensor, Tensor> ?? throw new NotSupportedException(
            $"ForInference: '{c.name}' ({c.module.GetType().FullName}) is not a tensor-to-tensor layer"))).ToList();

    private static nn.Module<Tensor, Tensor> Child(nn.Module module, string name) =>
        Children(module).Single(c => c.Name == name).Module;

    private static T CopyWeights<T>(nn.Module source, T copy) where T : nn.Module
    {
        copy.load_state_dict(source.state_dict());
        foreach (var parameter in copy.parameters())
            parameter.requires_grad = false;
        return copy;
    }

    // Pooling, activations, flatten, channel shuffle, ...: nothing to copy, and their forward ignores the training flag.
    private static bool IsStateless(nn.Module module) => !module.parameters().Any() && !module.buffers().Any();
}
