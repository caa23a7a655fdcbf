using NetDsl.Bench.Harness;
using NetDsl.Runtime.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.Models;

/// <summary>What <c>ForInference()</c> gained over the hand-written, unfused module in eval mode.</summary>
/// <param name="Contiguous">Hand-written (baseline) against the generated module prepared for inference, NCHW.</param>
/// <param name="ChannelsLast">The same with <see cref="InferenceOptions.ChannelsLast"/>.</param>
/// <param name="RelativeDifference">Largest |prepared − hand-written| eval output over the largest output, either layout.</param>
public sealed record InferenceResult(ModelCase Case, PairedTiming Contiguous, PairedTiming ChannelsLast, double RelativeDifference)
{
    /// <summary>The goal: at least 1.3x faster than the hand-written unfused module.</summary>
    public const double SpeedupGoal = 1.3;

    /// <summary>Equal outputs: within 1e-5 of the largest output.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>The faster layout's speed-up (hand-written time / prepared time, median of the rounds).</summary>
    public double BestSpeedup => Math.Max(1 / Contiguous.Ratio.Median, 1 / ChannelsLast.Ratio.Median);

    public string BestLayout => 1 / ChannelsLast.Ratio.Median > 1 / Contiguous.Ratio.Median ? "channels-last" : "contiguous";
}

/// <summary>
/// The hand-written module (randomised batch-norm statistics, eval mode) against the generated module with the same
/// weights after <c>ForInference()</c>, both under no_grad, rounds alternating.
/// </summary>
public sealed class InferenceBenchmark(BenchOptions options)
{
    public InferenceResult Run(ModelCase model)
    {
        using var handWritten = model.CreateHandWritten();
        using var generated = model.CreateGenerated();
        WeightTransfer.RandomizeNormalization(handWritten, seed: 17);
        WeightTransfer.CopyByPosition(handWritten, generated);
        handWritten.eval();
        using var contiguous = generated.ForInference();
        using var channelsLast = generated.ForInference(new InferenceOptions(ChannelsLast: true));

        manual_seed(2024);
        using var input = randn(ModelBenchmark.BatchSize, model.Input.Channels, model.Input.Height, model.Input.Width);
        using (no_grad())
        {
            var difference = Math.Max(RelativeDifference(handWritten, contiguous, input), RelativeDifference(handWritten, channelsLast, input));
            var plan = options.PlanFor(() => ModelBenchmark.Forward(handWritten, input));
            var fused = PairedTimer.Measure(() => ModelBenchmark.Forward(handWritten, input), () => ModelBenchmark.Forward(contiguous, input), plan);
            var nhwc = PairedTimer.Measure(() => ModelBenchmark.Forward(handWritten, input), () => ModelBenchmark.Forward(channelsLast, input), plan);
            return new InferenceResult(model, fused, nhwc, difference);
        }
    }

    private static double RelativeDifference(nn.Module<Tensor, Tensor> reference, nn.Module<Tensor, Tensor> prepared, Tensor input)
    {
        using var scope = NewDisposeScope();
        var expected = reference.call(input);
        var actual = prepared.call(input);
        return (actual - expected).abs().max().item<float>() / expected.abs().max().item<float>();
    }
}
