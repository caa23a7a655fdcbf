using NetDsl.Bench.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.Models;

/// <summary>What one model pair measured: equivalence first, then time and managed allocations.</summary>
public sealed record ModelResult(
    ModelCase Case,
    long HandWrittenParameters,
    long GeneratedParameters,
    int TensorsCopied,
    Equivalence Equivalence,
    PairedTiming Forward,
    PairedTiming ForwardBackward,
    long HandWrittenForwardBytes,
    long GeneratedForwardBytes);

/// <summary>Largest absolute differences between the two modules given the same weights and input.</summary>
/// <param name="EvalOutput">Inference outputs (eval mode, running statistics).</param>
/// <param name="TrainOutput">Training outputs (batch statistics; dropout under the same seed).</param>
/// <param name="Gradients">Every parameter's gradient after the same loss, compared by position.</param>
/// <param name="OutputScale">Largest absolute inference output, so the differences can be read against it.</param>
public sealed record Equivalence(double EvalOutput, double TrainOutput, double Gradients, double OutputScale)
{
    /// <summary>The goal's tolerance: identical, or within 1e-6.</summary>
    public const double Tolerance = 1e-6;

    public double Largest => Math.Max(EvalOutput, Math.Max(TrainOutput, Gradients));

    public bool Holds => Largest <= Tolerance;
}

/// <summary>Measures one <see cref="ModelCase"/>: same weights, same input, batch 8, the two modules interleaved.</summary>
public sealed class ModelBenchmark(BenchOptions options)
{
    public const int BatchSize = 8;

    public ModelResult Run(ModelCase model)
    {
        using var handWritten = model.CreateHandWritten();
        using var generated = model.CreateGenerated();
        WeightTransfer.RandomizeNormalization(handWritten, seed: 17);
        var copied = WeightTransfer.CopyByPosition(handWritten, generated);

        manual_seed(2024);
        using var input = randn(BatchSize, model.Input.Channels, model.Input.Height, model.Input.Width);
        using var targets = randint(0, 10, BatchSize, dtype: ScalarType.Int64);
        var equivalence = CompareOutputs(handWritten, generated, input, targets);

        handWritten.eval();
        generated.eval();
        PairedTiming forward;
        long handWrittenBytes, generatedBytes;
        using (no_grad())
        {
            forward = PairedTimer.Measure(() => Forward(handWritten, input), () => Forward(generated, input),
                options.PlanFor(() => Forward(handWritten, input)));
            handWrittenBytes = AllocationMeter.BytesPerCall(() => ForwardAllocation(handWritten, input), 3, options.AllocationSamples);
            generatedBytes = AllocationMeter.BytesPerCall(() => ForwardAllocation(generated, input), 3, options.AllocationSamples);
        }

        handWritten.train();
        generated.train();
        var forwardBackward = PairedTimer.Measure(
            () => ForwardBackward(handWritten, input, targets), () => ForwardBackward(generated, input, targets),
            options.PlanFor(() => ForwardBackward(handWritten, input, targets)));

        return new ModelResult(model, WeightTransfer.CountParameters(handWritten), WeightTransfer.CountParameters(generated),
            copied, equivalence, forward, forwardBackward, handWrittenBytes, generatedBytes);
    }

    /// <summary>
    /// The harness's resolution: the hand-written module against a second instance of itself with the same weights
    /// (forward). Its ratio should be 1; how far it strays is the noise any other ratio carries.
    /// </summary>
    public PairedTiming RunNoiseFloor(ModelCase model)
    {
        using var first = model.CreateHandWritten();
        using var second = model.CreateHandWritten();
        WeightTransfer.CopyByPosition(first, second);
        first.eval();
        second.eval();
        manual_seed(2024);
        using var input = randn(BatchSize, model.Input.Channels, model.Input.Height, model.Input.Width);
        using (no_grad())
            return PairedTimer.Measure(() => Forward(first, input), () => Forward(second, input),
                options.PlanFor(() => Forward(first, input)));
    }

    /// <summary>An inference call as users make it: a dispose scope frees every intermediate and the output.</summary>
    public static void Forward(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        using var scope = NewDisposeScope();
        module.call(input);
    }

    /// <summary>A training step without the optimiser: forward, cross-entropy, backward, gradients cleared.</summary>
    public static void ForwardBackward(nn.Module<Tensor, Tensor> module, Tensor input, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var loss = nn.functional.cross_entropy(module.call(input), targets);
        loss.backward();
        module.zero_grad();
    }

    private static long ForwardAllocation(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        using var scope = NewDisposeScope();
        return AllocationMeter.Around(() => module.call(input));
    }

    /// <summary>
    /// Runs both modules on the same input with one libtorch thread: with several, libtorch's CPU backward kernels
    /// reduce in a varying order, and two instances of the very same class already differ in their gradients.
    /// </summary>
    private static Equivalence CompareOutputs(nn.Module<Tensor, Tensor> handWritten, nn.Module<Tensor, Tensor> generated,
        Tensor input, Tensor targets)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return CompareOutputsDeterministically(handWritten, generated, input, targets);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static Equivalence CompareOutputsDeterministically(nn.Module<Tensor, Tensor> handWritten,
        nn.Module<Tensor, Tensor> generated, Tensor input, Tensor targets)
    {
        using var scope = NewDisposeScope();
        handWritten.eval();
        generated.eval();
        Tensor evalHand, evalGenerated;
        using (no_grad())
        {
            evalHand = handWritten.call(input);
            evalGenerated = generated.call(input);
        }

        // Training mode: batch statistics and dropout; the same seed gives both the same dropout mask.
        handWritten.train();
        generated.train();
        manual_seed(7);
        var trainHand = handWritten.call(input);
        nn.functional.cross_entropy(trainHand, targets).backward();
        manual_seed(7);
        var trainGenerated = generated.call(input);
        nn.functional.cross_entropy(trainGenerated, targets).backward();

        var gradientDifference = handWritten.parameters().Zip(generated.parameters())
            .Select(pair => MaxAbsDifference(pair.First.grad!, pair.Second.grad!))
            .DefaultIfEmpty(0).Max();
        handWritten.zero_grad();
        generated.zero_grad();
        return new Equivalence(MaxAbsDifference(evalHand, evalGenerated), MaxAbsDifference(trainHand, trainGenerated),
            gradientDifference, evalHand.abs().max().item<float>());
    }

    private static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a - b).abs().max().item<float>();
    }
}
