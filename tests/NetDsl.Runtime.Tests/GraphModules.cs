using NetDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>
/// A small feature pyramid written the way the generator writes a network with <c>outputs p3, p4</c>: a stem and a
/// second stage kept as c3 and c4, 1x1 laterals, p4 resized (nearest) to p3's size and summed with c3's lateral, then
/// smoothed. Slots: c3 0, c4 1, p4 2, lateral3 3, up 4, p3 5.
/// </summary>
internal sealed class TinyFpn : GraphNetwork<TinyFpn.Outputs>
{
    /// <summary>The two pyramid levels, as a generated network's output record.</summary>
    public sealed record Outputs(Tensor P3, Tensor P4) : IDisposable
    {
        public void Dispose()
        {
            P3.Dispose();
            P4.Dispose();
        }
    }

    public TinyFpn() : base(nameof(TinyFpn))
    {
        InputShape = new FeatureShape(3, 16, 16);
        SetSlotCount(6);
        Stem = Append("stem", nn.Conv2d(3, 8, 3, stride: 2, padding: 1));
        Norm = Append(nn.BatchNorm2d(8));                            // "0"
        Append(nn.ReLU());                                           // "1"
        Keep(0);
        Stage = Append(nn.Conv2d(8, 16, 3, stride: 2, padding: 1));  // "2"
        Keep(1);
        Lateral4 = Append("lateral4", nn.Conv2d(16, 8, 1));
        Keep(2);
        Recall(0);
        Lateral3 = Append("lateral3", nn.Conv2d(8, 8, 1));
        Keep(3);
        Recall(2);
        ResizeTo(3, bilinear: false);
        Keep(4);
        Merge(new FeatureSum(2), 3, 4);                              // "3"
        Smooth = Append("smooth", nn.Conv2d(8, 8, 3, padding: 1));
        Keep(5);
        SetOutputs(["p3", "p4"], [5, 2], [new FeatureShape(8, 8, 8), new FeatureShape(8, 4, 4)]);
    }

    public Conv2d Stem { get; }
    public BatchNorm2d Norm { get; }
    public Conv2d Stage { get; }
    public Conv2d Lateral4 { get; }
    public Conv2d Lateral3 { get; }
    public Conv2d Smooth { get; }

    protected override Outputs CreateOutputs(IReadOnlyList<Tensor> outputs) => new(outputs[0], outputs[1]);

    /// <summary>What the steps compute, written out with the same modules (for comparison; intermediates left to a dispose scope).</summary>
    public (Tensor P3, Tensor P4) ByHand(Tensor input)
    {
        var c3 = Stem.call(input);
        c3 = nn.functional.relu(Norm.call(c3));
        var c4 = Stage.call(c3);
        var p4 = Lateral4.call(c4);
        var up = nn.functional.interpolate(p4, [c3.size(2), c3.size(3)], mode: InterpolationMode.Nearest);
        var p3 = Smooth.call(Lateral3.call(c3) + up);
        return (p3, p4);
    }
}

/// <summary>
/// A 2 → 2 block like a BiFPN layer, written the way the generator writes <c>block Cross { inputs fine, coarse … outputs
/// fused, mixed }</c>: the coarse map reduced and resized (bilinear) onto the fine one and fused with learned weights;
/// the fine map downsampled, concatenated with the coarse one and mixed. Input 8x8x8 and 16x4x4, output the same.
/// Slots: fine 0, coarse 1, down 2, up 3, fused 4, mixed 5.
/// </summary>
internal sealed class CrossBlock : GraphBlock
{
    public CrossBlock() : base(nameof(CrossBlock))
    {
        InputShapes = [new FeatureShape(8, 8, 8), new FeatureShape(16, 4, 4)];
        SetSlotCount(6);
        Keep(0, 1);
        Recall(1);
        Reduce = Append("reduce", nn.Conv2d(16, 8, 1));
        ResizeTo(0, bilinear: true);
        Keep(3);
        Fusion = Merge("fuse", new WeightedFusion(2), 0, 3);
        Keep(4);
        Recall(0);
        Down = Append("down", nn.Conv2d(8, 16, 3, stride: 2, padding: 1));
        Keep(2);
        Merge(new FeatureConcat(2), 1, 2);                           // "0"
        Mix = Append("mix", nn.Conv2d(32, 16, 1));
        Keep(5);
        SetOutputs(4, 5);
        OutputShapes = InputShapes;
    }

    public Conv2d Reduce { get; }
    public WeightedFusion Fusion { get; }
    public Conv2d Down { get; }
    public Conv2d Mix { get; }

    public (Tensor Fused, Tensor Mixed) ByHand(Tensor fine, Tensor coarse)
    {
        var up = nn.functional.interpolate(Reduce.call(coarse), [fine.size(2), fine.size(3)], mode: InterpolationMode.Bilinear, align_corners: false);
        var fused = Fusion.call([fine, up]);
        var mixed = Mix.call(cat([coarse, Down.call(fine)], 1));
        return (fused, mixed);
    }
}

/// <summary>A sequence around <see cref="CrossBlock"/>: two stages kept, both into the block, its outputs kept, the coarse
/// one projected, resized (nearest) and summed with the fine one. Slots: s1 0, s2 1, fused 2, mixed 3, head 4.</summary>
internal sealed class CrossNetwork : SequentialModule
{
    public CrossNetwork() : base(nameof(CrossNetwork))
    {
        InputShape = new FeatureShape(3, 16, 16);
        SetSlotCount(5);
        First = Append(nn.Conv2d(3, 8, 3, stride: 2, padding: 1));   // "0"
        Keep(0);
        Second = Append(nn.Conv2d(8, 16, 3, stride: 2, padding: 1)); // "1"
        Keep(1);
        Recall(0, 1);
        Block = AppendBlock(new CrossBlock());                       // "2"
        Keep(2, 3);
        Recall(3);
        Head = Append("head", nn.Conv2d(16, 8, 1));
        ResizeTo(2, bilinear: false);
        Keep(4);
        Merge(new FeatureSum(2), 2, 4);                              // "3"
        OutputShape = new FeatureShape(8, 8, 8);
    }

    public Conv2d First { get; }
    public Conv2d Second { get; }
    public CrossBlock Block { get; }
    public Conv2d Head { get; }

    public Tensor ByHand(Tensor input)
    {
        var s1 = First.call(input);
        var s2 = Second.call(s1);
        var (fused, mixed) = Block.ByHand(s1, s2);
        var head = nn.functional.interpolate(Head.call(mixed), [fused.size(2), fused.size(3)], mode: InterpolationMode.Nearest);
        return fused + head;
    }
}

/// <summary>Returns a new tensor equal to its input and remembers it, so a test can see whether it was disposed.</summary>
internal sealed class Recorder : nn.Module<Tensor, Tensor>
{
    public Recorder() : base(nameof(Recorder)) { }

    public List<Tensor> Outputs { get; } = new();

    public override Tensor forward(Tensor input)
    {
        var output = input.mul(1);
        Outputs.Add(output);
        return output;
    }
}

/// <summary>A sequence built in a test with whatever steps it needs.</summary>
internal sealed class TestSequence : SequentialModule
{
    public TestSequence(int slots, Action<TestSequence> build) : base("test")
    {
        SetSlotCount(slots);
        build(this);
    }
}

/// <summary>A block built in a test with whatever steps and outputs it needs.</summary>
internal sealed class TestBlock : GraphBlock
{
    public TestBlock(int slots, Action<TestBlock> build, params int[] outputs) : base("block")
    {
        SetSlotCount(slots);
        build(this);
        if (outputs.Length > 0)
            SetOutputs(outputs);
    }
}
