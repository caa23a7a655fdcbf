using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;
using Parallel = NetDsl.Runtime.Parallel;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// Small networks built from the runtime's blocks the way generated code builds them, covering what the zoo
/// does not: every activation, global max pooling, ceil-mode average pooling with padding, dilation, linear
/// without bias, CompConv at every depth with trimmed channels, labelled parallel add, CReLU, drop-path, and the
/// graph steps of named feature maps (keep, recall, merges, resizes, a block with two inputs and outputs, a module
/// shared over a bundle) with transposed convolution and upsampling.
/// </summary>
public static class ConstructNetworks
{
    public static readonly IReadOnlyDictionary<string, Func<SequentialModule>> Factories = new Dictionary<string, Func<SequentialModule>>
    {
        ["Activations"] = Activations,
        ["Pooling"] = Pooling,
        ["Blocks"] = Blocks,
        ["CompConvDepths"] = CompConvDepths,
        ["GraphSteps"] = GraphSteps,
    };

    /// <summary>A test network: a sequence with a declared input, as a generated network has.</summary>
    private sealed class TestNetwork : SequentialModule
    {
        public TestNetwork(string name, FeatureShape input) : base(name) => InputShape = input;
    }

    // conv (bias, padding) then each activation of the language in turn, then a classifier without bias.
    private static SequentialModule Activations()
    {
        var net = new TestNetwork(nameof(Activations), new FeatureShape(3, 12, 12));
        var shape = net.InputShape;
        net.Append("stem", Layers.Conv2d(ref shape, 8, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 1, bias: true));
        foreach (var activation in Enum.GetValues<Activation>())
        {
            net.Append(activation.ToString().ToLowerInvariant(), Runtime.Composition.Activations.Create(activation));
            net.Append(Layers.Conv2d(ref shape, 8, kernel: 1, stride: 1, padding: 0, dilation: 1, groups: 1, bias: false));
        }
        net.Append(new CReLU());
        shape = shape with { Channels = 16 };
        net.Append(Layers.GlobalMaxPool(ref shape));
        net.Append(Layers.Flatten(ref shape));
        net.Append(nn.Dropout(0.3));
        net.Append("head", Layers.Linear(ref shape, 5, bias: false));
        return net;
    }

    // dilation and groups; ceil-mode max and average pooling with padding, where the last window would start in
    // the right padding and is dropped (40 -> 14 -> 5); a plain average pool; global average.
    private static SequentialModule Pooling()
    {
        var net = new TestNetwork(nameof(Pooling), new FeatureShape(4, 40, 40));
        var shape = net.InputShape;
        net.Append(Layers.Conv2d(ref shape, 8, kernel: 3, stride: 1, padding: 2, dilation: 2, groups: 4, bias: true));
        net.Append(nn.BatchNorm2d(shape.Channels));
        net.Append(Layers.MaxPool(ref shape, kernel: 2, stride: 3, padding: 1, ceil: true));
        net.Append(Layers.AvgPool(ref shape, kernel: 2, stride: 3, padding: 1, ceil: true));
        net.Append(Layers.AvgPool(ref shape, kernel: 3, stride: 2, padding: 1, ceil: true));
        net.Append(Layers.AvgPool(ref shape, kernel: 2, stride: 1, padding: 0, ceil: false));
        net.Append(Layers.GlobalAvgPool(ref shape));
        net.Append(Layers.Flatten(ref shape));
        net.Append(Layers.Linear(ref shape, 3, bias: true));
        return net;
    }

    // residual with a projection and with the identity, labelled parallel add and concat, split, shuffle,
    // dense block, squeeze-excite with a hard-sigmoid gate, drop-path.
    private static SequentialModule Blocks()
    {
        var net = new TestNetwork(nameof(Blocks), new FeatureShape(6, 16, 16));
        var input = net.InputShape;
        var shape = input;

        var body = new SequentialModule("body");
        body.Append(Layers.Conv2d(ref shape, 12, kernel: 3, stride: 2, padding: 1, dilation: 1, groups: 1, bias: false));
        body.Append(nn.BatchNorm2d(12));
        body.Append(new DropPath(0.2));
        net.Append("down", new Residual(body, Layers.Projection(input, shape)));

        var same = new SequentialModule("body");
        var sameShape = shape;
        same.Append(Layers.Conv2d(ref sameShape, 12, kernel: 3, stride: 1, padding: 1, dilation: 1, groups: 3, bias: false));
        same.Append(nn.BatchNorm2d(12));
        net.Append(new Residual(same));

        net.Append("sum", new Parallel(ParallelMerge.Add, [
            ("left", (nn.Module<Tensor, Tensor>)Path(p => p.Append(Layers.Conv2d(ref shape, 12, 1, 1, 0, 1, 1, false)))),
            (null, Path(p => p.Append(nn.Hardswish()))),
            ("right", Path(p => p.Append(Layers.Conv2d(ref shape, 12, 3, 1, 1, 1, 12, true)))),
        ]));
        net.Append(new Parallel(ParallelMerge.Concat, Path(_ => { }), Path(p => p.Append(Layers.Conv2d(ref shape, 4, 1, 1, 0, 1, 1, false)))));
        shape = shape with { Channels = 16 };

        var half = shape with { Channels = 8 };
        net.Append(new ChannelSplit([8, 8], Path(_ => { }), Path(p => p.Append(Layers.Conv2d(ref half, 8, 3, 1, 1, 1, 8, false)))));
        net.Append(new ChannelShuffle(4));

        var denseInput = shape.Channels;
        net.Append(new DenseBlock(Enumerable.Range(0, 3).Select(i =>
            (nn.Module<Tensor, Tensor>)Path(p =>
            {
                var layerShape = shape with { Channels = denseInput + 4 * i };
                p.Append(nn.BatchNorm2d(layerShape.Channels));
                p.Append(nn.ReLU());
                p.Append(Layers.Conv2d(ref layerShape, 4, 3, 1, 1, 1, 1, false));
            })).ToArray()));
        shape = shape with { Channels = denseInput + 12 };

        net.Append("se", new SqueezeExcite(shape.Channels, 8, nn.ReLU(), nn.Hardsigmoid()));
        net.Append(Layers.GlobalAvgPool(ref shape));
        net.Append(Layers.Flatten(ref shape));
        net.Append(Layers.Linear(ref shape, 4, bias: true));
        return net;

        static SequentialModule Path(Action<SequentialModule> build)
        {
            var path = new SequentialModule("path");
            build(path);
            return path;
        }
    }

    // A U-Net-like encoder and decoder on an odd input size, so resizes meet uneven ratios: 8 -> 15 nearest (gathered
    // rows and columns), 8 -> 15 bilinear, 4 -> 8 nearest (an integer factor); a grouped transposed convolution with
    // output padding and its batch norm; concat, sum and weighted fusion with a weight the ReLU cuts off; a module run
    // on a bundle of two sizes; a 2 -> 2 block that returns one of its inputs; upsampling by 2 (nearest) and 3 (bilinear).
    private static SequentialModule GraphSteps()
    {
        var net = new TestNetwork(nameof(GraphSteps), new FeatureShape(4, 15, 15));
        net.SetSlotCount(15);
        net.Append("stem", nn.Conv2d(4, 8, 3, padding: 1));
        net.Append(nn.BatchNorm2d(8));
        net.Append(nn.ReLU());
        net.Keep(0);                                                         // c1 8x15x15
        net.Append(nn.Conv2d(8, 8, 3, stride: 2, padding: 1));
        net.Append(nn.BatchNorm2d(8));
        net.Append(nn.ReLU6());
        net.Keep(1);                                                         // c2 8x8x8
        net.Append(nn.Conv2d(8, 16, 3, stride: 2, padding: 1));
        net.Keep(2);                                                         // c3 16x4x4
        net.Append("up", nn.ConvTranspose2d(16, 8, 3, stride: 2, padding: 1, output_padding: 1, groups: 2));
        net.Append(nn.BatchNorm2d(8));
        net.Keep(3);                                                         // 8x8x8
        net.Merge(new FeatureConcat(2), 1, 3);
        net.Append(nn.Conv2d(16, 8, 1));
        net.Keep(4);                                                         // d2 8x8x8
        net.ResizeTo(0, bilinear: false);
        net.Keep(5);                                                         // 8x15x15, nearest
        net.Recall(4);
        net.ResizeTo(0, bilinear: true);
        net.Keep(6);                                                         // 8x15x15, bilinear
        var fusion = net.Merge("fuse", new WeightedFusion(3), 0, 5, 6);
        using (no_grad())
            fusion.Weight.copy_(tensor(new float[] { 0.5f, -0.3f, 2f }));
        net.Keep(7);
        net.Recall(7, 4);                                                    // a bundle: 8x15x15 and 8x8x8
        net.Append("shared", nn.Conv2d(8, 8, 3, padding: 1));
        net.Append(nn.Hardswish());
        net.AppendBlock("cross", new Cross());
        net.Keep(8, 9);                                                      // 8x8x8 and 8x15x15
        net.Recall(8);
        net.Append(new Upsample(2, bilinear: false));
        net.Append(nn.Conv2d(8, 8, 2));                                      // 16 -> 15
        net.Keep(10);
        net.Recall(9);
        net.Append(new Upsample(3, bilinear: true));
        net.Append(nn.AvgPool2d(3, 3));                                      // 45 -> 15
        net.Keep(11);
        net.Merge(new FeatureSum(2), 10, 11);
        net.Keep(12);                                                        // 8x15x15
        net.Recall(2);
        net.Append(nn.Conv2d(16, 8, 1));
        net.ResizeTo(1, bilinear: false);                                    // 4 -> 8 nearest
        net.Keep(13);
        net.Recall(12);
        net.Append(nn.MaxPool2d(2, 2, ceil_mode: true));                     // 15 -> 8
        net.Keep(14);
        net.Merge(new FeatureConcat(2), 13, 14);                             // 16x8x8
        return net;
    }

    /// <summary>2 -> 2: the coarse input plus the fine one pooled down, and the fine input itself.</summary>
    private sealed class Cross : GraphBlock
    {
        public Cross() : base(nameof(Cross))
        {
            InputShapes = [new FeatureShape(8, 15, 15), new FeatureShape(8, 8, 8)];
            OutputShapes = [InputShapes[1], InputShapes[0]];
            SetSlotCount(4);
            Keep(0, 1);
            Recall(0);
            Append("pool", nn.MaxPool2d(2, 2, ceil_mode: true));
            Append(nn.Conv2d(8, 8, 1, bias: false));
            Keep(2);
            Merge(new FeatureSum(2), 1, 2);
            Keep(3);
            SetOutputs(3, 0);
        }
    }

    // CompConv at depths 0 to 3, the last two with more channels computed than kept (trimmed), stride 2 once.
    private static SequentialModule CompConvDepths()
    {
        var net = new TestNetwork(nameof(CompConvDepths), new FeatureShape(5, 14, 14));
        var shape = net.InputShape;
        net.Append(Layers.CompConv(ref shape, 16, kernel: 3, stride: 1, depth: 0, c0: 128));
        net.Append(Layers.CompConv(ref shape, 16, kernel: 3, stride: 2, depth: 1, c0: 128));
        net.Append(Layers.CompConv(ref shape, 20, kernel: 3, stride: 1, depth: 2, c0: 128));
        net.Append(Layers.CompConv(ref shape, 100, kernel: 1, stride: 1, depth: 3, c0: 128));
        net.Append(nn.BatchNorm2d(shape.Channels));
        net.Append(Layers.GlobalAvgPool(ref shape));
        net.Append(Layers.Flatten(ref shape));
        net.Append(Layers.Linear(ref shape, 2, bias: true));
        return net;
    }
}
