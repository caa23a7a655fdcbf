using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

/// <summary>
/// Why the trainer runs libtorch on one intra-op thread (TrainingOptions.IntraOpThreads). Measured with
/// libtorch-cpu 2.10.0 / TorchSharp 0.107.0 on this Debian 12 machine (AMD EPYC with AVX-512): for
/// conv(conv(x)) on a [100,1,28,28] batch, 300 identical backward passes with 2 threads gave the first
/// convolution's weight a gradient that differed from the first pass in 141 to 299 of them, and was
/// non-finite in up to 299 (with relu or max-pool in between: 100 to 210); with 1 thread, all 300 were
/// finite and bit-for-bit equal. The second convolution's weight gradient and the forward passes were
/// exact either way, so the input gradient of conv2d is what goes wrong. Training TinyCnn with 2 threads
/// reached NaN losses in 29 of 40 short runs.
/// </summary>
public class TorchThreadingTests
{
    [Fact]
    public void On_one_thread_stacked_convolution_gradients_are_finite_and_repeatable()
    {
        using var scope = NewDisposeScope();
        var previous = get_num_threads();
        set_num_threads(1);
        try
        {
            random.manual_seed(1);
            var x = randn(100, 1, 28, 28);
            var w1 = randn(4, 1, 3, 3).requires_grad_();
            var w2 = randn(8, 4, 3, 3).requires_grad_();
            Tensor? first = null;
            for (var i = 0; i < 20; i++)
            {
                using var step = NewDisposeScope();
                var y = nn.functional.conv2d(nn.functional.conv2d(x, w1, padding: [1, 1]), w2, padding: [1, 1]);
                y.square().sum().backward();
                w1.grad!.isfinite().all().item<bool>().ShouldBeTrue();
                if (first is null)
                    first = w1.grad!.clone().MoveToOuterDisposeScope();
                else
                    TensorAssertions.Identical(w1.grad!, first).ShouldBeTrue($"pass {i}");
                w1.grad!.zero_();
                w2.grad!.zero_();
            }
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    [Fact]
    public void Training_uses_the_configured_thread_count_and_restores_the_previous_one()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 41, width: 4);
        var before = get_num_threads();
        var trainer = new Training.Trainer(new Training.TrainingOptions { Epochs = 1, BatchSize = 64, IntraOpThreads = 1 });
        var during = new List<int>();
        trainer.BatchCompleted += _ => during.Add(get_num_threads());

        trainer.Fit(model, DigitsTestFile.Dataset.Train.Take(128));

        during.ShouldBe([1, 1]);
        get_num_threads().ShouldBe(before);
    }
}
