using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>
/// Trains any classifier (logits [N, classes] from a batch of inputs) with cross-entropy, reporting
/// progress after each batch and an evaluation after each epoch.
/// </summary>
public sealed class Trainer
{
    public Trainer(TrainingOptions options)
    {
        options.Validate();
        Options = options;
    }

    public TrainingOptions Options { get; }

    /// <summary>Raised on the training thread after every batch; keep handlers quick.</summary>
    public event Action<BatchProgress>? BatchCompleted;

    /// <summary>Raised after every completed epoch (and its validation, if any).</summary>
    public event Action<EpochSummary>? EpochCompleted;

    private optim.Optimizer? _optimizer;

    /// <summary>
    /// Trains <paramref name="model"/> in place. Cancelling <paramref name="cancellation"/> stops the run
    /// after the batch in progress; the history then reports <see cref="TrainingHistory.Cancelled"/>.
    /// </summary>
    /// <param name="resume">The state <see cref="CaptureState"/> gave at the end of epoch
    /// <see cref="TrainingOptions.FirstEpoch"/> - 1, so this run continues that one exactly; null starts afresh.</param>
    /// <exception cref="TrainingDivergedException">A loss or gradient was not finite; the optimizer did not apply it.</exception>
    /// <exception cref="InvalidDataException"><paramref name="resume"/> is not the state of this model's optimizer.</exception>
    public TrainingHistory Fit(
        nn.Module<Tensor, Tensor> model, IClassificationData train,
        IClassificationData? validation = null, CancellationToken cancellation = default, TrainerState? resume = null)
    {
        if (train.Count == 0)
            throw new ArgumentException("no training examples", nameof(train));

        using var threads = new IntraOpThreadLimit(Options.IntraOpThreads);
        using var optimizer = CreateOptimizer(model);
        if (resume is null)
            random.manual_seed(Options.Seed);
        else
            Restore(optimizer, resume);
        _optimizer = optimizer;
        try
        {
            return Fit(model, optimizer, train, validation, cancellation);
        }
        finally
        {
            _optimizer = null;
        }
    }

    /// <summary>
    /// The optimizer's and torch's generator's state, for a checkpoint; call it from an
    /// <see cref="EpochCompleted"/> handler, while <see cref="Fit"/> runs.
    /// </summary>
    public TrainerState CaptureState()
    {
        if (_optimizer is not TorchSharp.Modules.OptimizerHelper optimizer)
            throw new InvalidOperationException("the trainer's state exists only while Fit runs");
        var state = new MemoryStream();
        using (var writer = new BinaryWriter(state))
            optimizer.save_state_dict(writer);
        using var generator = random.get_rng_state();
        return new TrainerState(Options.Optimizer.ToString(), state.ToArray(), generator.bytes.ToArray());
    }

    private void Restore(optim.Optimizer optimizer, TrainerState state)
    {
        if (state.Optimizer != Options.Optimizer.ToString())
            throw new InvalidDataException($"the saved optimizer state is {state.Optimizer}'s, not {Options.Optimizer}'s");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state.OptimizerState, writable: false));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException)
        {
            throw new InvalidDataException($"the saved optimizer state does not fit this model's optimizer ({e.Message})", e);
        }
        // The saved state holds the rate where the schedule left it. A caller that asks for another rate (not the
        // same one up to rounding: the schedule multiplies, the caller may use a power) gets the one it asked for.
        foreach (var group in optimizer.ParamGroups)
        {
            if (Math.Abs(group.LearningRate - Options.LearningRate) > 1e-9 * Options.LearningRate)
                group.LearningRate = Options.LearningRate;
        }
        using var generator = tensor(state.GeneratorState, dtype: ScalarType.Byte);
        random.set_rng_state(generator);
    }

    private TrainingHistory Fit(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IClassificationData train,
        IClassificationData? validation, CancellationToken cancellation)
    {
        var schedule = optim.lr_scheduler.StepLR(optimizer, step_size: 1, gamma: Options.LearningRateDecay);
        var throughput = new ThroughputClock((long)Options.Epochs * train.Count);
        var epochs = new List<EpochSummary>();
        var runClock = Stopwatch.StartNew();

        model.train();
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var learningRate = optimizer.ParamGroups.First().LearningRate;
            // Seeded by the epoch's number in the whole run, so a resumed run draws the batches an uninterrupted one would.
            var batches = BatchPlan.Shuffled(train.Count, Options.BatchSize, unchecked(Options.Seed * 7919 + Options.FirstEpoch - 1 + epoch));
            var tally = new EpochTally();
            for (var b = 0; b < batches.Length; b++)
            {
                if (cancellation.IsCancellationRequested)
                    return new TrainingHistory(epochs, Cancelled: true, runClock.Elapsed);

                var (loss, correct) = Step(model, optimizer, train, batches[b],
                    (quantity, value) => new TrainingDivergedException(Options.FirstEpoch - 1 + epoch, b + 1, batches.Length, quantity, value));
                tally.Add(loss, correct, batches[b].Length);
                throughput.Add(batches[b].Length);
                BatchCompleted?.Invoke(new BatchProgress(
                    epoch, Options.Epochs, b + 1, batches.Length, loss, tally.MeanLoss, learningRate,
                    throughput.SamplesPerSecond, runClock.Elapsed, throughput.Remaining));
            }
            schedule.step();

            var validationResult = validation is null ? null : Evaluator.Evaluate(model, validation, Options.EvaluationBatchSize);
            var summary = new EpochSummary(epoch, tally.MeanLoss, tally.Accuracy, learningRate, epochClock.Elapsed, validationResult);
            epochs.Add(summary);
            EpochCompleted?.Invoke(summary);
        }
        return new TrainingHistory(epochs, Cancelled: cancellation.IsCancellationRequested, runClock.Elapsed);
    }

    /// <summary>
    /// One optimisation step; every tensor it makes is released when it returns. A loss or gradient norm that is
    /// not finite stops training before the optimizer applies it, so the weights stay those of the last good batch.
    /// </summary>
    private static (double Loss, long Correct) Step(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IClassificationData data, int[] batch,
        Func<string, double, TrainingDivergedException> diverged)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = data.CreateBatch(batch);
        optimizer.zero_grad();
        var logits = model.call(inputs);
        var loss = nn.functional.cross_entropy(logits, labels);
        var lossValue = loss.item<float>();
        if (!float.IsFinite(lossValue))
            throw diverged("loss", lossValue);
        loss.backward();
        var gradientNorm = GradientNorm(model);
        if (!double.IsFinite(gradientNorm))
            throw diverged("gradient norm", gradientNorm);
        optimizer.step();
        using var noGrad = no_grad();
        var correct = logits.argmax(1).eq(labels).sum().item<long>();
        return (lossValue, correct);
    }

    /// <summary>The L2 norm of all gradients together: NaN or infinity when any gradient is.</summary>
    private static double GradientNorm(nn.Module<Tensor, Tensor> model)
    {
        using var noGrad = no_grad();
        var norms = model.parameters().Select(p => p.grad).OfType<Tensor>().Select(g => g.norm().to_type(ScalarType.Float64)).ToArray();
        return norms.Length == 0 ? 0 : stack(norms).norm().item<double>();
    }

    private optim.Optimizer CreateOptimizer(nn.Module<Tensor, Tensor> model) => Options.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(model.parameters(), lr: Options.LearningRate),
        OptimizerKind.SgdMomentum => optim.SGD(model.parameters(), Options.LearningRate, momentum: Options.Momentum),
        _ => throw new ArgumentOutOfRangeException(nameof(Options.Optimizer), Options.Optimizer, null),
    };

    private sealed class EpochTally
    {
        private double _lossSum;
        private long _correct;
        private long _count;

        public double MeanLoss => _count == 0 ? 0 : _lossSum / _count;

        public double Accuracy => _count == 0 ? 0 : (double)_correct / _count;

        public void Add(double batchMeanLoss, long correct, int batchSize)
        {
            _lossSum += batchMeanLoss * batchSize;
            _correct += correct;
            _count += batchSize;
        }
    }
}
