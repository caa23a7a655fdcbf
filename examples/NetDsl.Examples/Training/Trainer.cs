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

    /// <summary>
    /// Trains <paramref name="model"/> in place. Cancelling <paramref name="cancellation"/> stops the run
    /// after the batch in progress; the history then reports <see cref="TrainingHistory.Cancelled"/>.
    /// </summary>
    public TrainingHistory Fit(
        nn.Module<Tensor, Tensor> model, IClassificationData train,
        IClassificationData? validation = null, CancellationToken cancellation = default)
    {
        if (train.Count == 0)
            throw new ArgumentException("no training examples", nameof(train));

        using var threads = new IntraOpThreadLimit(Options.IntraOpThreads);
        random.manual_seed(Options.Seed);
        using var optimizer = CreateOptimizer(model);
        var schedule = optim.lr_scheduler.StepLR(optimizer, step_size: 1, gamma: Options.LearningRateDecay);
        var throughput = new ThroughputClock((long)Options.Epochs * train.Count);
        var epochs = new List<EpochSummary>();
        var runClock = Stopwatch.StartNew();

        model.train();
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var learningRate = optimizer.ParamGroups.First().LearningRate;
            var batches = BatchPlan.Shuffled(train.Count, Options.BatchSize, unchecked(Options.Seed * 7919 + epoch));
            var tally = new EpochTally();
            for (var b = 0; b < batches.Length; b++)
            {
                if (cancellation.IsCancellationRequested)
                    return new TrainingHistory(epochs, Cancelled: true, runClock.Elapsed);

                var (loss, correct) = Step(model, optimizer, train, batches[b]);
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

    /// <summary>One optimisation step; every tensor it makes is released when it returns.</summary>
    private static (double Loss, long Correct) Step(
        nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, IClassificationData data, int[] batch)
    {
        using var scope = NewDisposeScope();
        var (inputs, labels) = data.CreateBatch(batch);
        optimizer.zero_grad();
        var logits = model.call(inputs);
        var loss = nn.functional.cross_entropy(logits, labels);
        loss.backward();
        optimizer.step();
        using var noGrad = no_grad();
        var correct = logits.argmax(1).eq(labels).sum().item<long>();
        return (loss.item<float>(), correct);
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
