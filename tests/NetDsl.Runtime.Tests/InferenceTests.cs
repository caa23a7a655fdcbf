using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>ForInference() on small hand-built trees; every zoo network is covered by NetDsl.Zoo.Tests' InferenceTests.</summary>
public class InferenceTests
{
    [Fact]
    public void Convolution_batch_norm_and_activation_become_one_layer_with_equal_outputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var net = new SequentialModule("net");
        net.Append(nn.Conv2d(3, 8, 3, padding: 1, bias: false));
        net.Append(nn.BatchNorm2d(8));
        net.Append(nn.ReLU6());
        net.Append(nn.Dropout(0.5));
        net.Append(nn.Conv2d(8, 4, 1, bias: true));
        SetStatistics(net);

        var inference = net.ForInference();

        inference.named_children().Single().name.ShouldBe("network");
        var prepared = (SequentialModule)inference.named_children().Single().module;
        prepared.ChildNames().ShouldBe(["0", "4"]);   // conv+bn+relu6 as "0", dropout gone, conv "4"
        inference.parameters().ShouldBeEmpty();
        ShouldGiveTheSameOutputs(net, inference, randn(2, 3, 9, 9));
    }

    [Fact]
    public void Residual_blocks_and_standalone_batch_norms_keep_their_outputs_in_both_layouts()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var body = new SequentialModule("body");
        body.Append(nn.Conv2d(6, 6, 3, padding: 1, bias: false));
        body.Append(nn.BatchNorm2d(6));
        var net = new SequentialModule("net");
        net.Append(nn.BatchNorm2d(6));                     // pre-activation: nothing to fold into
        net.Append(nn.ReLU());
        net.Append(new Residual(body));
        net.Append(nn.ReLU());
        net.Append(new Residual(new SequentialModule("empty")));   // a body that hands back its input
        SetStatistics(net);
        var input = randn(2, 6, 5, 5);

        ShouldGiveTheSameOutputs(net, net.ForInference(), input);
        ShouldGiveTheSameOutputs(net, net.ForInference(new InferenceOptions(ChannelsLast: true)), input);
    }

    [Fact]
    public void The_original_keeps_its_weights_and_its_training_mode()
    {
        using var scope = NewDisposeScope();
        var net = new SequentialModule("net");
        net.Append(nn.Conv2d(3, 4, 3, bias: false));
        net.Append(nn.BatchNorm2d(4));
        SetStatistics(net);
        net.train();
        var before = net.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());

        using var inference = net.ForInference();

        net.training.ShouldBeTrue();
        foreach (var (key, value) in net.state_dict())
            value.equal(before[key]).all().item<bool>().ShouldBeTrue(key);
        net.parameters().All(p => p.requires_grad).ShouldBeTrue();
    }

    [Fact]
    public void An_unknown_layer_is_reported_by_name()
    {
        using var scope = NewDisposeScope();
        var net = new SequentialModule("net");
        net.Append("odd", nn.PReLU(1));
        var error = Should.Throw<NotSupportedException>(() => net.ForInference());
        error.Message.ShouldContain("'odd'");
        error.Message.ShouldContain("PReLU");
    }

    internal static void ShouldGiveTheSameOutputs(nn.Module<Tensor, Tensor> original, nn.Module<Tensor, Tensor> prepared, Tensor input)
    {
        original.eval();
        using var noGrad = no_grad();
        var expected = original.call(input);
        var actual = prepared.call(input);
        actual.shape.ShouldBe(expected.shape);
        var error = (actual - expected).abs().max().item<float>();
        error.ShouldBeLessThanOrEqualTo(1e-5f * expected.abs().max().item<float>());
    }

    internal static void SetStatistics(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var norm in module.modules().OfType<BatchNorm2d>())
        {
            var channels = norm.running_mean!.size(0);
            norm.running_mean.copy_(randn(channels) * 0.2);
            norm.running_var!.copy_(rand(channels) + 0.5);
            norm.weight!.copy_(randn(channels) * 0.2 + 1);
            norm.bias!.copy_(randn(channels) * 0.2);
        }
    }
}
