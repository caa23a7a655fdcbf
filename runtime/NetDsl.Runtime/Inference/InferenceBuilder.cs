using NetDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// Builds the inference copy of a module tree, container by container: sequences get their convolution, batch norm
/// and activation runs fused; blocks are rebuilt around prepared children; layers with weights are copied; layers
/// without state are shared. The graph steps of a <see cref="FeatureModule{TInput, TOutput}"/> (keep, recall, merge,
/// resize, blocks) are replayed in order, and a fusion never reaches across one: only adjacent appended modules fuse.
/// </summary>
internal sealed class InferenceBuilder(InferenceOptions options)
{
    public nn.Module<Tensor, Tensor> Build(nn.Module<Tensor, Tensor> module, string name) => module switch
    {
        SequentialModule sequence => Replay(sequence, new SequentialModule(name)),
        Residual residual => BuildResidual(residual, name, FusedActivation.None),
        Parallel parallel => new Parallel(parallel.Merge, Paths(parallel, parallel.PathNames)),
        ChannelSplit split => new ChannelSplit(split.SplitSizes.ToArray(), Paths(split, split.PathNames)),
        DenseBlock dense => new DenseBlock(Children(dense).Select(c => Build(c.Module, c.Name)).ToArray()),
        SqueezeExcite excite => CopyWeights(excite, new SqueezeExcite(excite.Channels, excite.SqueezeChannels,
            Child(excite, "activation"), Child(excite, "scale_activation"))),
        CompConv2d comp => CopyWeights(comp, new CompConv2d(comp.InChannels, comp.OutChannels, comp.KernelSize, comp.Stride, comp.Depth)),
        Conv2d conv => new FusedConv2d(name, conv, null, FusedActivation.None, options.ChannelsLast),
        ConvTranspose2d conv => new FusedConvTranspose2d(name, conv, null, FusedActivation.None),
        BatchNorm2d norm => new FrozenBatchNorm2d(name, norm, FusedActivation.None),
        Linear linear => CopyWeights(linear, nn.Linear(linear.in_features, linear.out_features, hasBias: linear.bias is not null)),
        Dropout or Dropout2d or AlphaDropout or FeatureAlphaDropout or DropPath => nn.Identity(),
        _ when IsStateless(module) => module,
        _ => throw Unknown(module, name),
    };

    /// <summary>The inference copy of <paramref name="block"/>: its steps replayed with prepared children, its outputs kept.</summary>
    public InferenceGraphBlock BuildBlock(GraphBlock block, string name) =>
        Replay(block, new InferenceGraphBlock(name, block.InputShapes, block.OutputShapes)).WithOutputs(((IFeatureGraph)block).OutputSlots);

    /// <summary>Adds the steps of <paramref name="source"/> to the empty <paramref name="target"/>, children prepared.</summary>
    public TModule Replay<TModule, TInput, TOutput>(IFeatureGraph source, TModule target)
        where TModule : FeatureModule<TInput, TOutput>
    {
        target.SetSlotCount(source.SlotCount);
        var steps = source.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            switch (steps[i])
            {
                case ApplyStep { Module: Conv2d conv, Name: var name }:
                {
                    var norm = NextModule(steps, i) as BatchNorm2d;
                    if (norm is not null)
                        i++;
                    target.Append(name, new FusedConv2d(name, conv, norm, NextActivation(steps, ref i), options.ChannelsLast));
                    break;
                }
                case ApplyStep { Module: ConvTranspose2d conv, Name: var name }:
                {
                    var norm = NextModule(steps, i) as BatchNorm2d;
                    if (norm is not null)
                        i++;
                    target.Append(name, new FusedConvTranspose2d(name, conv, norm, NextActivation(steps, ref i)));
                    break;
                }
                case ApplyStep { Module: BatchNorm2d norm, Name: var name }:
                    target.Append(name, new FrozenBatchNorm2d(name, norm, NextActivation(steps, ref i)));
                    break;
                case ApplyStep { Module: Residual residual, Name: var name }:
                    target.Append(name, BuildResidual(residual, name, NextActivation(steps, ref i)));
                    break;
                case ApplyStep { Module: Dropout or Dropout2d or AlphaDropout or FeatureAlphaDropout or DropPath }:
                    break; // the identity in eval mode, on every feature of a bundle too
                case ApplyStep apply:
                    target.Append(apply.Name, Build(apply.Module, apply.Name));
                    break;
                case BlockStep block:
                    target.AppendBlock(block.Name, BuildBlock(block.Block, block.Name));
                    break;
                case KeepStep keep:
                    target.Keep(keep.Slots.ToArray());
                    break;
                case RecallStep recall:
                    target.Recall(recall.Slots.ToArray());
                    break;
                case MergeStep merge:
                    target.Merge(merge.Name, BuildMerge(merge.Merge, merge.Name), merge.Slots.ToArray());
                    break;
                case ResizeStep resize:
                    target.ResizeTo(resize.Slot, resize.Bilinear);
                    break;
                default:
                    throw new NotSupportedException($"ForInference does not know the step {steps[i]}");
            }
        }
        return target;
    }

    private SequentialModule Replay(SequentialModule source, SequentialModule target) =>
        Replay<SequentialModule, Tensor, Tensor>(source, target);

    private InferenceGraphBlock Replay(GraphBlock source, InferenceGraphBlock target) =>
        Replay<InferenceGraphBlock, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>(source, target);

    private static nn.Module<IReadOnlyList<Tensor>, Tensor> BuildMerge(nn.Module<IReadOnlyList<Tensor>, Tensor> merge, string name) => merge switch
    {
        WeightedFusion fusion => CopyWeights(fusion, new WeightedFusion(fusion.InputCount, fusion.Epsilon)),
        _ when IsStateless(merge) => merge,
        _ => throw Unknown(merge, name),
    };

    private InferenceResidual BuildResidual(Residual residual, string name, FusedActivation activation)
    {
        var children = Children(residual).ToDictionary(c => c.Name, c => c.Module);
        var shortcut = children.GetValueOrDefault("shortcut");
        return new InferenceResidual(name, Build(children["body"], "body"),
            shortcut is null ? null : Build(shortcut, "shortcut"), activation);
    }

    // The module appended right after position i, when the next step is an append (a graph step ends a fusion run).
    private static nn.Module<Tensor, Tensor>? NextModule(IReadOnlyList<FeatureStep> steps, int i) =>
        i + 1 < steps.Count && steps[i + 1] is ApplyStep next ? next.Module : null;

    // The activation right after position i, consumed (i advances) when it can run in place.
    private static FusedActivation NextActivation(IReadOnlyList<FeatureStep> steps, ref int i)
    {
        if (NextModule(steps, i) is { } next && FusedActivations.Of(next) is { } activation)
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

    // Pooling, activations, flatten, channel shuffle, upsampling, sums and concatenations: nothing to copy, and their
    // forward ignores the training flag.
    private static bool IsStateless(nn.Module module) => !module.parameters().Any() && !module.buffers().Any();

    private static NotSupportedException Unknown(nn.Module module, string name) => new(
        $"ForInference does not know the layer '{name}' ({module.GetType().FullName}); it prepares NetDsl.Runtime's " +
        "blocks and the TorchSharp layers generated code uses");
}
