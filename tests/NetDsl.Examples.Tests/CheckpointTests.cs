using NetDsl.Examples.Training;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdsl-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly CheckpointInfo Info = new(
        "tiny", "w8", 3,
        [new EpochMetrics(1, 0.9, 0.7, 0.5, 0.85, 1e-3, 2.5), new EpochMetrics(2, 0.4, 0.88, 0.35, 0.9, 7e-4, 2.4)],
        new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void A_loaded_checkpoint_gives_exactly_the_outputs_of_the_saved_module()
    {
        using var scope = NewDisposeScope();
        using var trained = TinyCnn.Create(seed: 21);
        new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 64 }).Fit(trained, DigitsTestFile.Dataset.Train.Take(128));
        var path = Path.Combine(_directory, "tiny.weights");
        Checkpoint.Save(trained, path, Info);

        using var restored = TinyCnn.Create(seed: 99);
        var (inputs, _) = DigitsTestFile.Dataset.Test.CreateBatch([0, 1, 2, 3, 4, 5, 6, 7]);
        trained.eval();
        restored.eval();
        TensorAssertions.Identical(trained.call(inputs), restored.call(inputs)).ShouldBeFalse();

        var info = Checkpoint.Load(restored, path);

        TensorAssertions.Identical(trained.call(inputs), restored.call(inputs)).ShouldBeTrue();
        info.Network.ShouldBe("tiny");
        info.Variant.ShouldBe("w8");
        info.Epoch.ShouldBe(3);
        info.History.ShouldBe(Info.History);
        info.SavedAt.ShouldBe(Info.SavedAt);
        File.ReadAllText(path + ".json").ShouldContain("\"network\": \"tiny\"");
    }

    [Fact]
    public void The_weights_file_lists_the_modules_parameters_in_order()
    {
        using var model = new TinyCnn(width: 8);
        var path = Path.Combine(_directory, "tiny.weights");
        Checkpoint.Save(model, path, Info);

        StateEntry.ReadFrom(path).Select(e => e.ToString()).ShouldBe([
            "conv1.weight Float32 [8, 1, 3, 3]", "conv1.bias Float32 [8]",
            "conv2.weight Float32 [16, 8, 3, 3]", "conv2.bias Float32 [16]",
            "head.weight Float32 [10, 784]", "head.bias Float32 [10]",
        ]);
    }

    [Fact]
    public void Loading_into_a_differently_shaped_module_is_refused_listing_every_difference()
    {
        using var scope = NewDisposeScope();
        using var saved = new TinyCnn(width: 8);
        var path = Path.Combine(_directory, "tiny.weights");
        Checkpoint.Save(saved, path, Info);
        using var other = new TinyCnnWithExtraLayer();
        var weightsBefore = other.state_dict()["conv1.weight"].clone();

        var error = Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(other, path));

        error.Message.ShouldBe(string.Join("\n",
            "checkpoint tiny.weights does not fit this module:",
            "  missing from checkpoint: hidden.weight [32, 588]",
            "  missing from checkpoint: hidden.bias [32]",
            "  shape mismatch: conv2.weight is Float32 [12, 8, 3, 3] in the module, Float32 [16, 8, 3, 3] in the checkpoint",
            "  shape mismatch: conv2.bias is Float32 [12] in the module, Float32 [16] in the checkpoint",
            "  shape mismatch: head.weight is Float32 [10, 32] in the module, Float32 [10, 784] in the checkpoint"));
        error.Missing.Select(e => e.Key).ShouldBe(["hidden.weight", "hidden.bias"]);
        error.Unexpected.ShouldBeEmpty();
        error.Differing.Select(d => d.InModule.Key).ShouldBe(["conv2.weight", "conv2.bias", "head.weight"]);
        TensorAssertions.Identical(other.state_dict()["conv1.weight"], weightsBefore).ShouldBeTrue(); // nothing was loaded
    }

    [Fact]
    public void Loading_a_larger_checkpoint_into_a_smaller_module_reports_the_unexpected_keys()
    {
        using var saved = new TinyCnnWithExtraLayer();
        var path = Path.Combine(_directory, "extra.weights");
        Checkpoint.Save(saved, path, Info);
        using var smaller = new TinyCnn(width: 8);

        var error = Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(smaller, path));

        error.Unexpected.Select(e => e.ToString()).ShouldBe(["hidden.weight Float32 [32, 588]", "hidden.bias Float32 [32]"]);
        error.Message.ShouldContain("\n  unexpected in checkpoint: hidden.weight [32, 588]\n  unexpected in checkpoint: hidden.bias [32]");
    }

    [Fact]
    public void A_truncated_weights_file_is_refused()
    {
        using var model = new TinyCnn(width: 8);
        var path = Path.Combine(_directory, "tiny.weights");
        Checkpoint.Save(model, path, Info);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Should.Throw<InvalidDataException>(() => Checkpoint.Load(model, path))
            .Message.ShouldBe("tiny.weights is truncated: it ends inside a tensor");
    }

    [Fact]
    public void A_checkpoint_without_its_sidecar_is_refused()
    {
        using var model = new TinyCnn(width: 8);
        var path = Path.Combine(_directory, "tiny.weights");
        model.save(path);

        Should.Throw<FileNotFoundException>(() => Checkpoint.Load(model, path))
            .Message.ShouldBe($"checkpoint sidecar not found: {path}.json");
    }
}
