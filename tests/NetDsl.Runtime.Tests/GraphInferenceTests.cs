using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>ForInference() on modules with graph steps, multi-output networks and transposed convolutions.</summary>
public class GraphInferenceTests
{
    [Fact]
    public void A_feature_map_kept_between_a_convolution_and_its_batch_norm_keeps_its_value()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var net = new TestSequence(2, s =>
        {
            s.Append(nn.Conv2d(3, 6, 3, padding: 1, bias: false));   // 0
            s.Keep(0);                                               // the convolution's output, before the norm
            s.Append(nn.BatchNorm2d(6));                             // 1
            s.Append(nn.ReLU());                                     // 2
            s.Keep(1);
            s.Merge(new FeatureSum(2), 0, 1);                        // 3
        });
        InferenceTests.SetStatistics(net);

        var inference = net.ForInference();

        var prepared = (SequentialModule)inference.named_children().Single().module;
        prepared.ChildNames().ShouldBe(["0", "1", "3"]);             // the norm did not fold into "0"; the ReLU ran in place after it
        prepared.named_children().Select(c => c.module.GetType().Name).ShouldBe(["FusedConv2d", "FrozenBatchNorm2d", "FeatureSum"]);
        ((IFeatureGraph)prepared).Steps.OfType<KeepStep>().Select(k => k.Slots.Single()).ShouldBe([0, 1]);
        InferenceTests.ShouldGiveTheSameOutputs(net, inference, randn(2, 3, 6, 6));
    }

    [Fact]
    public void A_multi_output_network_gives_the_same_outputs_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var fpn = new TinyFpn();
        InferenceTests.SetStatistics(fpn);
        fpn.eval();
        var input = randn(2, 3, 16, 16);
        using var expected = fpn.call(input);

        foreach (var options in new[] { InferenceOptions.Default, new InferenceOptions(ChannelsLast: true) })
        {
            using var inference = fpn.ForInference(options);
            using var outputs = inference.call(input);

            ShouldBeClose(outputs.P3, expected.P3);
            ShouldBeClose(outputs.P4, expected.P4);
            inference.OutputNames.ShouldBe(["p3", "p4"]);
            inference.OutputShapes.ShouldBe(fpn.OutputShapes);
            inference.InputShape.ShouldBe(fpn.InputShape);
            inference.parameters().ShouldBeEmpty();
            var features = inference.ForwardFeatures(input);
            ShouldBeClose(features[0], expected.P3);
            features[0].requires_grad.ShouldBeFalse();
        }
        fpn.training.ShouldBeFalse();
        fpn.parameters().All(p => p.requires_grad).ShouldBeTrue();
    }

    [Fact]
    public void Blocks_with_several_inputs_and_learned_fusion_weights_are_rebuilt_with_copied_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var net = new CrossNetwork();
        net.Block.Fusion.Weight.Fill(0.3f, 1.7f);
        var input = randn(2, 3, 16, 16);

        var inference = net.ForInference();

        var prepared = (SequentialModule)inference.named_children().Single().module;
        var block = (GraphBlock)prepared.named_children().Single(c => c.name == "2").module;
        ((IFeatureGraph)block).OutputSlots.ShouldBe([4, 5]);
        block.InputShapes.ShouldBe(net.Block.InputShapes);
        var fusion = block.named_children().Select(c => c.module).OfType<WeightedFusion>().Single();
        ReferenceEquals(fusion, net.Block.Fusion).ShouldBeFalse();
        fusion.Weight.Values().ShouldBe([0.3f, 1.7f]);
        fusion.Weight.requires_grad.ShouldBeFalse();
        InferenceTests.ShouldGiveTheSameOutputs(net, inference, input);
        InferenceTests.ShouldGiveTheSameOutputs(net, net.ForInference(new InferenceOptions(ChannelsLast: true)), input);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_transposed_convolution_takes_the_batch_norm_and_activation_after_it(long groups)
    {
        using var scope = NewDisposeScope();
        manual_seed(24);
        var net = new SequentialModule("net");
        net.Append(nn.ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, output_padding: 1, groups: groups, bias: true));
        net.Append(nn.BatchNorm2d(6));
        net.Append(nn.ReLU());
        net.Append(nn.ConvTranspose2d(6, 2, 2, stride: 2, bias: false));
        InferenceTests.SetStatistics(net);

        var inference = net.ForInference();

        var prepared = (SequentialModule)inference.named_children().Single().module;
        prepared.ChildNames().ShouldBe(["0", "3"]);
        inference.parameters().ShouldBeEmpty();
        InferenceTests.ShouldGiveTheSameOutputs(net, inference, randn(2, 4, 5, 5));
    }

    [Fact]
    public void A_residual_body_that_hands_back_a_recalled_input_is_not_added_to_in_place()
    {
        using var scope = NewDisposeScope();
        var body = new TestSequence(1, s => { s.Keep(0); s.Recall(0); });
        var net = new SequentialModule("net");
        net.Append(new Residual(body));
        net.Append(nn.ReLU());
        var input = tensor(new float[] { 1, -2 }).view(1, 2, 1, 1);

        var output = net.ForInference().call(input);

        output.Values().ShouldBe([2f, 0f]);
        input.Values().ShouldBe([1f, -2f]);
    }

    private static void ShouldBeClose(Tensor actual, Tensor expected)
    {
        actual.shape.ShouldBe(expected.shape);
        var error = (actual - expected).abs().max().item<float>();
        error.ShouldBeLessThanOrEqualTo(1e-5f * expected.abs().max().item<float>());
    }
}
