using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>Named feature maps, bundles, merges, resizes, multi-input blocks and multi-output networks (FeatureModule).</summary>
public class GraphModuleTests
{
    [Fact]
    public void A_feature_pyramid_returns_both_levels_as_computed_by_hand()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var fpn = new TinyFpn();
        fpn.eval();
        var input = randn(2, 3, 16, 16);

        using var outputs = fpn.call(input);
        var (p3, p4) = fpn.ByHand(input);

        outputs.P3.shape.ShouldBe([2, 8, 8, 8]);
        outputs.P4.shape.ShouldBe([2, 8, 4, 4]);
        outputs.P3.ShouldEqualExactly(p3);
        outputs.P4.ShouldEqualExactly(p4);
        fpn.OutputNames.ShouldBe(["p3", "p4"]);
        fpn.OutputShapes.ShouldBe([new FeatureShape(8, 8, 8), new FeatureShape(8, 4, 4)]);
        ((IMultiOutputNetwork)fpn).InputShape.ShouldBe(new FeatureShape(3, 16, 16));
        ((IFeatureGraph)fpn).OutputSlots.ShouldBe([5, 2]);
        ((IFeatureGraph)fpn).SlotCount.ShouldBe(6);
    }

    [Fact]
    public void ForwardFeatures_gives_the_outputs_in_the_order_of_their_names()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var fpn = new TinyFpn();
        fpn.eval();
        var input = randn(1, 3, 16, 16);

        var features = fpn.ForwardFeatures(input);
        var (p3, p4) = fpn.ByHand(input);

        features.Count.ShouldBe(2);
        features[0].ShouldEqualExactly(p3);
        features[1].ShouldEqualExactly(p4);
    }

    [Fact]
    public void A_two_to_two_block_inside_a_sequence_computes_what_its_steps_say()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = new CrossNetwork();
        net.eval();
        using (no_grad())
            net.Block.Fusion.Weight.Fill(0.7f, -0.2f);   // one weight cut off by the ReLU
        var input = randn(2, 3, 16, 16);

        var output = net.call(input);

        output.shape.ShouldBe([2, 8, 8, 8]);
        output.allclose(net.ByHand(input), rtol: 0, atol: 1e-6).ShouldBeTrue();
        net.Count.ShouldBe(5);   // 0, 1, 2 (the block), head, 3 (the sum)
        net.ChildNames().ShouldBe(["0", "1", "2", "head", "3"]);
        net.HasGraphSteps.ShouldBeTrue();
    }

    [Fact]
    public void A_block_hands_its_outputs_to_the_callers_next_steps_in_order()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var block = new CrossBlock();
        var fine = randn(1, 8, 8, 8);
        var coarse = randn(1, 16, 4, 4);

        var outputs = block.call([fine, coarse]);
        var (fused, mixed) = block.ByHand(fine, coarse);

        outputs.Count.ShouldBe(2);
        outputs[0].allclose(fused, rtol: 0, atol: 1e-6).ShouldBeTrue();
        outputs[1].allclose(mixed, rtol: 0, atol: 1e-6).ShouldBeTrue();
        Should.Throw<ArgumentException>(() => block.call([fine])).Message.ShouldStartWith("CrossBlock takes 2 input features, got 1");
    }

    [Fact]
    public void One_module_runs_on_every_feature_of_a_bundle_with_shared_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var shared = nn.Conv2d(3, 4, 1);
        var down = nn.Conv2d(3, 3, 3, stride: 2, padding: 1);
        using var net = new TestSequence(4, s =>
        {
            s.Keep(0);
            s.Append(down);
            s.Keep(1);
            s.Recall(0, 1);
            s.Append("shared", shared);
            s.Keep(2, 3);
            s.Recall(3);
            s.ResizeTo(2, bilinear: false);
            s.Keep(3);
            s.Merge(new FeatureConcat(2), 2, 3);
        });
        var input = randn(1, 3, 6, 6);

        var output = net.call(input);

        var coarse = nn.functional.interpolate(shared.call(down.call(input)), [6, 6], mode: InterpolationMode.Nearest);
        output.ShouldEqualExactly(cat([shared.call(input), coarse], 1));
        net.state_dict().Keys.ShouldBe(["0.weight", "0.bias", "shared.weight", "shared.bias"]);
        net.ParameterCount().ShouldBe(3 * 3 * 9 + 3 + 3 * 4 + 4);
    }

    [Fact]
    public void Append_AppendBlock_and_Merge_share_one_numbering()
    {
        using var scope = NewDisposeScope();
        using var net = new TestSequence(3, s =>
        {
            s.Append(nn.Conv2d(4, 4, 1));                                   // 0
            s.Keep(0);
            s.AppendBlock(new TestBlock(1, b => b.Append(nn.Conv2d(4, 4, 1, bias: false))));   // 1
            s.Keep(1);
            s.Merge(new WeightedFusion(2), 0, 1);                           // 2
            s.Keep(2);
            s.Merge("labelled", new WeightedFusion(3), 0, 1, 2);
            s.Append(nn.Conv2d(4, 2, 1, bias: false));                      // 3
        });

        net.state_dict().Keys.ShouldBe(["0.weight", "0.bias", "1.0.weight", "2.weight", "labelled.weight", "3.weight"]);
        net.Count.ShouldBe(5);
        net.call(randn(1, 4, 3, 3)).shape.ShouldBe([1, 2, 3, 3]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResizeTo_interpolates_to_the_size_of_a_kept_feature_as_F_interpolate_does(bool bilinear)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var down = nn.Conv2d(2, 2, 3, stride: 2, padding: 1);
        using var net = new TestSequence(1, s =>
        {
            s.Keep(0);
            s.Append(down);             // 5x7 -> 3x4
            s.ResizeTo(0, bilinear);    // back to 5x7, an uneven factor
        });
        var input = randn(2, 2, 5, 7);

        var output = net.call(input);

        var expected = nn.functional.interpolate(down.call(input), [5, 7],
            mode: bilinear ? InterpolationMode.Bilinear : InterpolationMode.Nearest, align_corners: bilinear ? false : null);
        output.shape.ShouldBe([2, 2, 5, 7]);
        output.ShouldEqualExactly(expected);
    }

    [Fact]
    public void ResizeTo_leaves_a_feature_of_the_target_size_as_it_is()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(2, 3, 1);
        using var net = new TestSequence(1, s =>
        {
            s.Keep(0);
            s.Append(conv);
            s.ResizeTo(0, bilinear: true);
        });
        var input = randn(1, 2, 4, 4);

        net.call(input).ShouldEqualExactly(conv.call(input));
    }

    [Fact]
    public void Gradients_flow_through_keeps_recalls_merges_resizes_and_blocks()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var net = new CrossNetwork();
        net.ShouldPassGradientsToEveryParameter(randn(2, 3, 16, 16));

        // The input's gradient equals the one through the same computation written by hand.
        var input = randn(1, 3, 16, 16).requires_grad_(true);
        net.call(input).pow(2).sum().backward();
        var throughSteps = input.grad!.clone();
        input.grad.zero_();
        net.ByHand(input).pow(2).sum().backward();
        throughSteps.allclose(input.grad, rtol: 1e-5, atol: 1e-6).ShouldBeTrue();
    }

    [Fact]
    public void Gradients_flow_to_every_parameter_of_a_multi_output_network()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var fpn = new TinyFpn();
        fpn.train();
        var input = randn(2, 3, 16, 16).requires_grad_(true);

        using (var outputs = fpn.call(input))
            (outputs.P3.sum() + outputs.P4.pow(2).sum()).backward();

        foreach (var (name, parameter) in fpn.named_parameters())
            parameter.grad!.abs().sum().item<float>().ShouldBeGreaterThan(0f, name);
        var throughSteps = input.grad!.clone();
        input.grad.zero_();
        var (p3, p4) = fpn.ByHand(input);
        (p3.sum() + p4.pow(2).sum()).backward();
        throughSteps.allclose(input.grad, rtol: 1e-5, atol: 1e-6).ShouldBeTrue();
    }

    [Fact]
    public void Intermediate_tensors_are_disposed_and_the_callers_input_is_not()
    {
        using var scope = NewDisposeScope();
        var first = new Recorder();
        var second = new Recorder();
        using var net = new TestSequence(2, s =>
        {
            s.Append(first);
            s.Keep(0);
            s.Append(second);
            s.Keep(1);
            s.Merge(new FeatureSum(2), 0, 1);
        });
        var input = ones(1, 1, 2, 2);

        var output = net.call(input);

        output.Values().ShouldBe([2f, 2f, 2f, 2f]);
        first.Outputs.Single().IsInvalid.ShouldBeTrue();
        second.Outputs.Single().IsInvalid.ShouldBeTrue();
        input.IsInvalid.ShouldBeFalse();
    }

    [Fact]
    public void Without_graph_steps_a_sequence_keeps_its_chain_forward()
    {
        using var scope = NewDisposeScope();
        var first = new Recorder();
        var second = new Recorder();
        var net = new SequentialModule("chain");
        net.Append(first);
        net.Append(new ReturnsInput());
        net.Append(second);
        var input = ones(1, 1, 2, 2);

        var output = net.call(input);

        net.HasGraphSteps.ShouldBeFalse();
        ((IFeatureGraph)net).Steps.ShouldAllBe(step => step is ApplyStep);
        first.Outputs.Single().IsInvalid.ShouldBeTrue();     // consumed by the next child, disposed at once
        ReferenceEquals(output, second.Outputs.Single()).ShouldBeTrue();
        input.IsInvalid.ShouldBeFalse();
    }

    [Fact]
    public void An_output_that_is_an_input_or_repeated_comes_back_as_a_new_handle()
    {
        using var scope = NewDisposeScope();
        using var block = new TestBlock(2, b => b.Keep(0, 1), 1, 0, 1);
        var (a, b) = (ones(1, 1, 1, 1), zeros(1, 1, 1, 1));

        var outputs = block.call([a, b]);

        outputs.Count.ShouldBe(3);
        outputs.ShouldAllBe(output => !ReferenceEquals(output, a) && !ReferenceEquals(output, b));
        ReferenceEquals(outputs[0], outputs[2]).ShouldBeFalse();
        foreach (var output in outputs)
            output.Dispose();
        a.Values().ShouldBe([1f]);
        b.Values().ShouldBe([0f]);

        using var sequence = new TestSequence(1, s => { s.Keep(0); s.Recall(0); });
        var same = sequence.call(a);
        ReferenceEquals(same, a).ShouldBeFalse();
        same.Dispose();
        a.IsInvalid.ShouldBeFalse();
    }

    [Fact]
    public void A_keep_of_a_different_count_than_the_current_features_is_a_clear_error()
    {
        using var scope = NewDisposeScope();
        using var net = new TestSequence(3, s =>
        {
            s.Keep(0);
            s.Recall(0, 0);
            s.Keep(1);
        });
        var input = ones(1, 1, 2, 2);

        Should.Throw<InvalidOperationException>(() => net.call(input)).Message.ShouldBe(
            "test: a keep step names 1 slot but there are 2 current features; the counts must match " +
            "(this is a bug in the code that built the module)");
        input.IsInvalid.ShouldBeFalse();
    }

    [Fact]
    public void Reading_a_slot_before_it_is_kept_or_naming_one_out_of_range_is_a_clear_error()
    {
        using var scope = NewDisposeScope();
        using var net = new TestSequence(2, s => s.Recall(1));

        Should.Throw<InvalidOperationException>(() => net.call(ones(1))).Message.ShouldBe(
            "test: slot 1 is read before anything was kept in it (this is a bug in the code that built the module)");
        Should.Throw<InvalidOperationException>(() => new TestSequence(2, s => s.Keep(2))).Message.ShouldBe(
            "test: Keep names slot 2, but the module has 2 slots (SetSlotCount sizes them)");
        Should.Throw<InvalidOperationException>(() => new TestSequence(0, s => s.Recall(0))).Message
            .ShouldContain("SetSlotCount");
        Should.Throw<InvalidOperationException>(() => new TestSequence(2, s => { s.Keep(1); s.SetSlotCount(1); })).Message.ShouldBe(
            "test: cannot set the slot count to 1: the steps so far use slot 1");
    }

    [Fact]
    public void A_sequence_that_ends_with_a_bundle_is_a_clear_error()
    {
        using var scope = NewDisposeScope();
        using var net = new TestSequence(1, s => { s.Keep(0); s.Recall(0, 0); });

        Should.Throw<InvalidOperationException>(() => net.call(ones(1))).Message.ShouldBe(
            "test: the steps end with 2 features, but a sequence returns exactly one (this is a bug in the code that built the module)");
    }

    [Fact]
    public void A_multi_output_network_checks_its_output_declaration()
    {
        Should.Throw<InvalidOperationException>(() => new BadOutputs(["p3", "p3"], [0, 0])).Message
            .ShouldBe("bad: output names must be distinct and not empty: p3, p3");
        Should.Throw<InvalidOperationException>(() => new BadOutputs(["p3"], [0, 1])).Message
            .ShouldBe("bad: outputs need one name, slot and shape each, got 1 names, 2 slots and 1 shapes");
    }

    private sealed class BadOutputs : GraphNetwork<IReadOnlyList<Tensor>>
    {
        public BadOutputs(string[] names, int[] slots) : base("bad")
        {
            SetSlotCount(1);
            Keep(0);
            SetOutputs(names, slots, names.Select(_ => new FeatureShape(1, 1, 1)).ToArray());
        }

        protected override IReadOnlyList<Tensor> CreateOutputs(IReadOnlyList<Tensor> outputs) => outputs;
    }
}
