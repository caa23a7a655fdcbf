using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class SqueezeExciteTests
{
    [Theory]
    [InlineData(64, 4)]
    [InlineData(16, 8)]
    [InlineData(3, 1)]
    public void ParameterCountIsTwoCSPlusSPlusC(long channels, long squeeze)
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcite(channels, squeeze);
        se.ParameterCount().ShouldBe(2 * channels * squeeze + squeeze + channels);
    }

    [Fact]
    public void UsesTorchvisionNamesSoStateDictsLineUp()
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcite(8, 2);
        se.ChildNames().ShouldBe(new[] { "avgpool", "fc1", "fc2", "activation", "scale_activation" });
        var state = se.state_dict();
        state.Keys.ShouldBe(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" });
        state["fc1.weight"].shape.ShouldBe(new long[] { 2, 8, 1, 1 });
        state["fc2.weight"].shape.ShouldBe(new long[] { 8, 2, 1, 1 });
    }

    [Fact]
    public void KeepsTheInputShape()
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcite(8, 2);
        se.call(randn(3, 8, 5, 7)).shape.ShouldBe(new long[] { 3, 8, 5, 7 });
    }

    [Fact]
    public void ZeroFc2GivesTheSigmoidGateOneHalf()
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcite(4, 2);
        using (no_grad())
        {
            se.get_parameter("fc2.weight")!.zero_();
            se.get_parameter("fc2.bias")!.zero_();
        }
        var input = randn(2, 4, 3, 3);

        var output = se.call(input);

        output.Values().ShouldBe((input * 0.5).Values(), tolerance: 1e-6);
    }

    [Fact]
    public void UsesTheGivenActivationAndGate()
    {
        using var scope = NewDisposeScope();
        // fc2 gives 3 everywhere: hardsigmoid(3) = 1 keeps the input; the default sigmoid would give 0.9526.
        using var se = new SqueezeExcite(4, 2, activation: nn.ReLU6(), gate: nn.Hardsigmoid());
        using (no_grad())
        {
            se.get_parameter("fc2.weight")!.zero_();
            se.get_parameter("fc2.bias")!.fill_(3);
        }
        var input = randn(1, 4, 2, 2);

        se.call(input).Values().ShouldBe(input.Values(), tolerance: 1e-6);
        se.named_children().Single(c => c.name == "activation").module.ShouldBeOfType<TorchSharp.Modules.ReLU6>();
        se.named_children().Single(c => c.name == "scale_activation").module.ShouldBeOfType<TorchSharp.Modules.Hardsigmoid>();
    }

    [Fact]
    public void ScalesEachChannelByItsOwnGate()
    {
        using var scope = NewDisposeScope();
        using var se = new SqueezeExcite(2, 1);
        using (no_grad())
        {
            se.get_parameter("fc2.weight")!.zero_();
        }
        se.get_parameter("fc2.bias")!.Fill(0f, 100f); // gates sigmoid(0) = 0.5 and sigmoid(100) = 1
        var input = ones(1, 2, 1, 1);

        se.call(input).Values().ShouldBe(new[] { 0.5f, 1f }, tolerance: 1e-6);
    }

    [Fact]
    public void GradientsReachEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var se = new SqueezeExcite(8, 4);
        se.ShouldPassGradientsToEveryParameter(randn(2, 8, 4, 4));
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(8, 0)]
    public void RejectsChannelCountsBelowOne(long channels, long squeeze)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new SqueezeExcite(channels, squeeze))
            .Message.ShouldContain("squeeze-excite needs at least one");
    }
}
