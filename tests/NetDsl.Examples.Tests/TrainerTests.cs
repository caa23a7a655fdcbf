using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public class TrainerTests
{
    private static DigitsSplit Train512 => DigitsTestFile.Dataset.Train.Take(512);

    private static DigitsSplit Test500 => DigitsTestFile.Dataset.Test.Take(500);

    private static readonly TrainingOptions OneEpoch = new() { Epochs = 1, BatchSize = 32, LearningRate = 3e-3, Seed = 7 };

    [Fact]
    public void One_epoch_on_512_digits_lowers_the_loss_and_beats_chance_on_unseen_digits()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 1);
        var before = Evaluator.Evaluate(model, Test500);

        var history = new Trainer(OneEpoch).Fit(model, Train512, Test500);

        var after = history.Last!.Validation!;
        before.MeanLoss.ShouldBeGreaterThan(2.2); // untrained: about ln 10 = 2.30
        after.MeanLoss.ShouldBeLessThan(before.MeanLoss - 1.0);
        after.Accuracy.ShouldBeGreaterThan(0.70);
        after.Count.ShouldBe(500);
        history.Cancelled.ShouldBeFalse();
        history.Epochs.Count.ShouldBe(1);
        history.Last.TrainLoss.ShouldBeLessThan(before.MeanLoss);
    }

    [Fact]
    public void Progress_is_reported_for_every_batch_and_every_epoch()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 2, width: 4);
        var trainer = new Trainer(OneEpoch with { Epochs = 2, BatchSize = 100 });
        var batches = new List<BatchProgress>();
        var epochs = new List<EpochSummary>();
        trainer.BatchCompleted += batches.Add;
        trainer.EpochCompleted += epochs.Add;

        trainer.Fit(model, Train512);

        batches.Select(b => (b.Epoch, b.Batch)).ShouldBe(
            [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (2, 6)]);
        batches.ShouldAllBe(b => b.BatchesPerEpoch == 6 && b.Epochs == 2 && b.SamplesPerSecond > 0 && b.Loss > 0);
        batches[^1].Remaining.ShouldBe(TimeSpan.Zero);
        batches[0].Remaining.ShouldBeGreaterThan(TimeSpan.Zero);
        epochs.Select(e => e.Epoch).ShouldBe([1, 2]);
        epochs.ShouldAllBe(e => e.Validation == null);
        // Step schedule: the learning rate shrinks by 0.7 after each epoch.
        epochs[0].LearningRate.ShouldBe(3e-3, 1e-12);
        epochs[1].LearningRate.ShouldBe(3e-3 * 0.7, 1e-12);
        batches.Where(b => b.Epoch == 2).ShouldAllBe(b => Math.Abs(b.LearningRate - 2.1e-3) < 1e-12);
    }

    [Fact]
    public void A_loss_that_is_not_finite_stops_training_at_its_batch_before_the_optimizer_applies_it()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 4, width: 4);
        var trainer = new Trainer(OneEpoch with { Epochs = 2, BatchSize = 64, LearningRate = 1e30 });
        var completed = new List<int>();
        trainer.BatchCompleted += b => completed.Add(b.Batch);

        var error = Should.Throw<TrainingDivergedException>(() => trainer.Fit(model, Train512));

        (error.Epoch, error.Batch).ShouldBe((1, 2));
        error.Quantity.ShouldBeOneOf("loss", "gradient norm");
        double.IsFinite(error.Value).ShouldBeFalse();
        error.Message.ShouldStartWith("training diverged in epoch 1, batch 2 of 8: the ");
        completed.ShouldBe([1]);
        // Only the first batch's step was applied: huge, but finite.
        model.parameters().ShouldAllBe(p => p.isfinite().all().item<bool>());
    }

    [Fact]
    public void Resuming_with_the_captured_state_continues_exactly_as_an_uninterrupted_run()
    {
        using var scope = NewDisposeScope();
        var options = OneEpoch with { Epochs = 2, BatchSize = 64, IntraOpThreads = 1 };
        using var uninterrupted = TinyCnn.Create(seed: 5, width: 4);
        new Trainer(options).Fit(uninterrupted, Train512);

        using var interrupted = TinyCnn.Create(seed: 5, width: 4);
        var first = new Trainer(options with { Epochs = 1 });
        TrainerState? state = null;
        first.EpochCompleted += _ => state = first.CaptureState();
        first.Fit(interrupted, Train512);
        new Trainer(options with { Epochs = 1, FirstEpoch = 2, LearningRate = options.LearningRate * 0.7 }).Fit(interrupted, Train512, resume: state);

        foreach (var (name, expected) in uninterrupted.state_dict())
            TensorAssertions.Identical(interrupted.state_dict()[name], expected).ShouldBeTrue(name);
    }

    [Fact]
    public void Training_keeps_no_tensor_alive_from_one_epoch_to_the_next()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 3, width: 4);
        var trainer = new Trainer(OneEpoch with { Epochs = 3, BatchSize = 64 });
        var liveTensors = new List<long>();
        trainer.EpochCompleted += _ => liveTensors.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        trainer.Fit(model, Train512, Test500);

        liveTensors.Count.ShouldBe(3);
        liveTensors.Distinct().Count().ShouldBe(1, $"live tensors after each epoch: {string.Join(", ", liveTensors)}");
    }

    [Fact]
    public void The_working_set_stays_flat_across_epochs()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 8, width: 8);
        var trainer = new Trainer(OneEpoch with { Epochs = 5, BatchSize = 64 });
        var workingSetMiB = new List<double>();
        trainer.EpochCompleted += _ =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            workingSetMiB.Add(System.Diagnostics.Process.GetCurrentProcess().WorkingSet64 / 1048576.0);
        };

        trainer.Fit(model, DigitsTestFile.Dataset.Train.Take(1024), Test500);

        // The first two epochs and validations warm the allocators (20 to 30 MiB here); from then on the
        // working set must stay put. Leaking the first convolution's output alone (64 x 8 x 28 x 28 floats =
        // 1.6 MiB a batch, 16 batches) would add 25 MiB an epoch, to every later reading; the allocator's own
        // swings (one reading 30 MiB up, the next back down, seen with ATen's convolutions) pass only one of them.
        (workingSetMiB.Skip(3).Min() - workingSetMiB[2]).ShouldBeLessThan(
            10, $"working set after each epoch (MiB): {string.Join(", ", workingSetMiB.Select(w => w.ToString("F1")))}");
    }

    [Fact]
    public void Cancelling_stops_after_the_batch_in_progress()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 4, width: 4);
        using var cancellation = new CancellationTokenSource();
        var trainer = new Trainer(OneEpoch with { Epochs = 2 });
        var batchesDone = 0;
        trainer.BatchCompleted += p =>
        {
            batchesDone++;
            if (p.Batch == 3)
                cancellation.Cancel();
        };

        var history = trainer.Fit(model, Train512, Test500, cancellation.Token);

        batchesDone.ShouldBe(3);
        history.Cancelled.ShouldBeTrue();
        history.Epochs.ShouldBeEmpty();
    }

    [Fact]
    public void The_same_seed_trains_to_the_same_weights()
    {
        using var scope = NewDisposeScope();
        var options = OneEpoch with { BatchSize = 128, IntraOpThreads = 1 }; // bit-for-bit needs one thread
        using var first = TinyCnn.Create(seed: 5, width: 4);
        using var second = TinyCnn.Create(seed: 5, width: 4);

        var a = new Trainer(options).Fit(first, Train512.Take(256));
        var b = new Trainer(options).Fit(second, Train512.Take(256));

        b.Last!.TrainLoss.ShouldBe(a.Last!.TrainLoss);
        var (inputs, _) = Test500.CreateBatch([0, 1, 2, 3]);
        first.eval();
        second.eval();
        var difference = (first.call(inputs) - second.call(inputs)).abs().max().item<float>();
        difference.ShouldBe(0f, $"max difference {difference}");
    }

    [Fact]
    public void Sgd_with_momentum_also_learns()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 6, width: 4);
        var options = OneEpoch with { Epochs = 3, Optimizer = OptimizerKind.SgdMomentum, LearningRate = 0.01, Momentum = 0.9 };

        var history = new Trainer(options).Fit(model, Train512, Test500);

        history.Last!.Validation!.Accuracy.ShouldBeGreaterThan(0.5);
    }

    [Fact]
    public void Invalid_options_are_refused_up_front()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new Trainer(new TrainingOptions { BatchSize = 0 }))
            .ParamName.ShouldBe("BatchSize");
        Should.Throw<ArgumentOutOfRangeException>(() => new Trainer(new TrainingOptions { LearningRateDecay = 1.5 }))
            .ParamName.ShouldBe("LearningRateDecay");
    }

    [Fact]
    public void Shuffled_batches_are_a_seeded_permutation()
    {
        var a = BatchPlan.Shuffled(10, 4, seed: 1);
        var b = BatchPlan.Shuffled(10, 4, seed: 1);
        var c = BatchPlan.Shuffled(10, 4, seed: 2);

        a.Select(batch => batch.Length).ShouldBe([4, 4, 2]);
        a.SelectMany(x => x).Order().ShouldBe(Enumerable.Range(0, 10));
        b.SelectMany(x => x).ShouldBe(a.SelectMany(x => x));
        c.SelectMany(x => x).ShouldNotBe(a.SelectMany(x => x));
        BatchPlan.Sequential(5, 2).ShouldBe([[0, 1], [2, 3], [4]]);
    }
}
