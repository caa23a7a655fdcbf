using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Bench.HandWritten;

/// <summary>
/// The multi-path network of examples/models/multipath.nn written by hand in torchvision's style: a 3x3 stem,
/// stages of multi-path modules whose per-path width doubles (and size halves) stage by stage, global average
/// pool, linear classifier.
/// </summary>
public sealed class MultiPathNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> stem;
    private readonly nn.Module<Tensor, Tensor> stages;
    private readonly nn.Module<Tensor, Tensor> fc;

    public MultiPathNet(long baseWidth = 10, int paths = 4, int stageCount = 4, int blocksPerStage = 1, long numClasses = 10)
        : base(nameof(MultiPathNet))
    {
        var channels = baseWidth * paths;
        stem = ConvNormActivation.Create(3, channels, activation: () => nn.ReLU(inplace: true));
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (var stage = 0; stage < stageCount; stage++)
        {
            for (var block = 0; block < blocksPerStage; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                var module = new MultiPathModule(channels, baseWidth << stage, paths, stride);
                modules.Add(module);
                channels = module.OutChannels;
            }
        }
        stages = nn.Sequential(modules);
        fc = nn.Linear(channels, numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = stages.call(stem.call(x));
        x = nn.functional.adaptive_avg_pool2d(x, 1);
        return fc.call(torch.flatten(x, 1));
    }

    /// <summary>Path p stacks p conv-BN-ReLU layers (the first carries the stride); the concatenated paths are fused
    /// by a 1x1 conv + BN and added to the (projected) input, then ReLU.</summary>
    private sealed class MultiPathModule : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<nn.Module<Tensor, Tensor>> branches;
        private readonly nn.Module<Tensor, Tensor> fuse;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public long OutChannels { get; }

        public MultiPathModule(long inChannels, long width, int paths, long stride) : base(nameof(MultiPathModule))
        {
            branches = nn.ModuleList<nn.Module<Tensor, Tensor>>();
            for (var depth = 1; depth <= paths; depth++)
            {
                var layers = new List<nn.Module<Tensor, Tensor>>();
                for (var j = 0; j < depth; j++)
                    layers.Add(ConvNormActivation.Create(j == 0 ? inChannels : width, width, stride: j == 0 ? stride : 1,
                        activation: () => nn.ReLU(inplace: true)));
                branches.Add(nn.Sequential(layers));
            }
            OutChannels = width * paths;
            fuse = ConvNormActivation.Create(OutChannels, OutChannels, kernelSize: 1);
            if (stride != 1 || inChannels != OutChannels)
                downsample = ConvNormActivation.Create(inChannels, OutChannels, kernelSize: 1, stride: stride);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var outputs = new Tensor[branches.Count];
            for (var i = 0; i < outputs.Length; i++)
                outputs[i] = branches[i].call(input);
            var x = fuse.call(torch.cat(outputs, 1));
            var identity = downsample is null ? input : downsample.call(input);
            return x.add_(identity).relu_();
        }
    }
}
