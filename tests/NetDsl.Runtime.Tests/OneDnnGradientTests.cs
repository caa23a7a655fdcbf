using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>
/// Guards <see cref="TorchEnvironment"/>'s per-machine choice of oneDNN. On a machine with libtorch 2.10's oneDNN
/// defect, oneDNN's convolutions gave non-finite or changing weight gradients for stacked convolutions on two
/// threads, and garbage input gradients behind 1x1 stride-2 projections: there the self-check switches oneDNN off
/// and these tests pass, and with NETDSL_ONEDNN=on they fail. Where oneDNN is sound they pass with it on.
/// tests/NetDsl.Zoo.Tests checks every zoo network's gradients are finite under the same choice.
/// </summary>
public class OneDnnGradientTests
{
    [Fact]
    public void The_runtime_applies_its_decision()
    {
        var decision = TorchEnvironment.OneDnn;
        TorchEnvironment.OneDnnEnabled.ShouldBe(decision.Enabled);
        decision.Reason.ShouldNotBeNullOrWhiteSpace();
        switch (Environment.GetEnvironmentVariable(TorchEnvironment.KeepOneDnnVariable)?.Trim().ToLowerInvariant())
        {
            case "on":
                decision.ShouldBe(new OneDnnDecision(true, OneDnnDecisionSource.ForcedOn, "NETDSL_ONEDNN=on", null));
                break;
            case "off":
                decision.Enabled.ShouldBeFalse();
                decision.Source.ShouldBe(OneDnnDecisionSource.ForcedOff);
                break;
            default:
                decision.Source.ShouldBe(OneDnnDecisionSource.SelfCheck);
                decision.CheckDuration.ShouldNotBeNull();
                break;
        }
    }

    [Fact]
    public void Stacked_convolution_gradients_are_finite_and_repeatable_on_two_threads() =>
        GradientsAreFiniteAndRepeatable(
            input: () => randn(100, 3, 28, 28),
            shapes: [[4, 3, 3, 3], [8, 4, 3, 3]],
            forward: (x, w) => nn.functional.conv2d(nn.functional.conv2d(x, w[0], padding: [1, 1]), w[1], padding: [1, 1]),
            gradient: (x, w) => w[0].grad!);

    [Fact]
    public void Projection_input_gradients_are_finite_and_repeatable_on_two_threads() =>
        GradientsAreFiniteAndRepeatable(
            input: () => randn(32, 64, 28, 28).requires_grad_(),
            shapes: [[128, 64, 1, 1]],
            forward: (x, w) => nn.functional.conv2d(x, w[0], strides: [2, 2]),
            gradient: (x, w) => x.grad!);

    [Theory]
    [InlineData(20)]
    [InlineData(24)]
    public void Forward_convolutions_give_atens_outputs(int inputChannels)
    {
        // On a machine with the defect, oneDNN's 3x3 forward convolution with 20 or 24 input channels was wrong on
        // every call (7 December 2026): whole networks' evaluation outputs were wrong, not only their gradients.
        TorchEnvironment.Initialize();
        var decided = TorchEnvironment.OneDnnEnabled;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        random.manual_seed(7);
        var x = randn(3, inputChannels, 14, 14);
        var w = randn(16, inputChannels, 3, 3);
        Tensor reference;
        try
        {
            TorchEnvironment.SetOneDnn(false);
            reference = nn.functional.conv2d(x, w, padding: [1, 1]);
        }
        finally
        {
            TorchEnvironment.SetOneDnn(decided);
        }
        var actual = nn.functional.conv2d(x, w, padding: [1, 1]);
        var error = (actual - reference).abs().max().item<float>();
        var scale = reference.abs().max().item<float>();
        error.ShouldBeLessThanOrEqualTo(1e-4f * scale, $"oneDNN {(decided ? "on" : "off")}: 3x3 convolution with {inputChannels} input channels");
    }

    [Fact]
    public void The_self_check_accepts_agreeing_gradients()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 1f, -2f, 3f });
        var close = reference + 1e-6f; // another summation order
        OneDnnSelfCheck.Compare("kernel", [[close], [close.clone()]], [reference]).ShouldBeNull();
    }

    [Fact]
    public void The_self_check_rejects_non_finite_gradients()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 1f, -2f, 3f });
        var broken = tensor(new[] { 1f, float.NaN, 3f });
        OneDnnSelfCheck.Compare("stacked 3x3", [[reference], [broken]], [reference])
            .ShouldBe("stacked 3x3, result 1, pass 2: oneDNN gave non-finite values");
    }

    [Fact]
    public void The_self_check_rejects_gradients_that_change_between_passes()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 1f, -2f, 3f });
        OneDnnSelfCheck.Compare("k", [[reference], [reference + 1e-7f]], [reference])
            .ShouldBe("k, result 1, pass 2: oneDNN gave a different result than on pass 1 for the same input");
    }

    [Fact]
    public void The_self_check_rejects_gradients_that_differ_from_aten()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 1f, -2f, 4f });
        var unwritten = tensor(new[] { 1f, 0f, 4f }); // a part of the gradient never written
        OneDnnSelfCheck.Compare("1x1 stride-2", [[unwritten]], [reference])
            .ShouldBe("1x1 stride-2, result 1, pass 1: oneDNN differs from ATen's convolution by 2 (largest value 4)");
    }

    private static void GradientsAreFiniteAndRepeatable(Func<Tensor> input, long[][] shapes, Func<Tensor, Tensor[], Tensor> forward,
        Func<Tensor, Tensor[], Tensor> gradient)
    {
        TorchEnvironment.Initialize();
        var previousThreads = get_num_threads();
        set_num_threads(2);
        try
        {
            using var scope = NewDisposeScope();
            random.manual_seed(1);
            var x = input();
            var weights = shapes.Select(shape => randn(shape).requires_grad_()).ToArray();
            Tensor? reference = null;
            for (var pass = 0; pass < 20; pass++)
            {
                using var step = NewDisposeScope();
                forward(x, weights).square().sum().backward();
                var grad = gradient(x, weights);
                grad.isfinite().all().item<bool>().ShouldBeTrue($"pass {pass}: non-finite gradient");
                if (reference is null)
                    reference = grad.clone().MoveToOuterDisposeScope();
                else
                    grad.equal(reference).all().item<bool>().ShouldBeTrue($"pass {pass}: gradient changed");
                foreach (var weight in weights)
                    weight.grad!.zero_();
                if (x.requires_grad)
                    x.grad!.zero_();
            }
        }
        finally
        {
            set_num_threads(previousThreads);
        }
    }
}
