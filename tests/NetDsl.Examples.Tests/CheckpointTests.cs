using NetDsl.Examples.Training;
using NetDsl.IO;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdsl-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static readonly CheckpointInfo Info = new(
        "tiny", "w8", 2,
        [new EpochMetrics(1, 0.9, 0.7, 0.5, 0.85, 1e-3, 2.5), new EpochMetrics(2, 0.4, 0.88, 0.35, 0.9, 7e-4, 2.4)],
        new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void A_loaded_checkpoint_gives_exactly_the_outputs_of_the_saved_module_and_its_description()
    {
        using var scope = NewDisposeScope();
        using var trained = TinyCnn.Create(seed: 21);
        new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 64 }).Fit(trained, DigitsTestFile.Dataset.Train.Take(128));
        var path = PathOf("tiny.ckpt");
        Checkpoint.Save(path, trained, Info);

        using var restored = TinyCnn.Create(seed: 99);
        var (inputs, _) = DigitsTestFile.Dataset.Test.CreateBatch([0, 1, 2, 3, 4, 5, 6, 7]);
        trained.eval();
        restored.eval();
        TensorAssertions.Identical(trained.call(inputs), restored.call(inputs)).ShouldBeFalse();

        var info = Checkpoint.Load(path, restored, "w8", out var trainerState);

        TensorAssertions.Identical(trained.call(inputs), restored.call(inputs)).ShouldBeTrue();
        (info.Network, info.Variant, info.Epoch, info.SavedAt).ShouldBe(("tiny", "w8", 2, Info.SavedAt));
        info.History.ShouldBe(Info.History);
        trainerState.ShouldBeNull();
        Directory.GetFiles(_directory).Select(Path.GetFileName).ShouldBe(["tiny.ckpt"]); // one file, no sidecar, no temporary
    }

    [Fact]
    public void The_file_is_one_unit_whose_description_names_the_network_and_whose_state_lists_the_parameters_in_order()
    {
        using var model = new TinyCnn(width: 8);
        var path = PathOf("tiny.ckpt");
        Checkpoint.Save(path, model, Info);

        var file = new CheckpointFile(File.ReadAllBytes(path));
        file.Description.ShouldContain("\"network\": \"tiny\"");
        file.Description.ShouldContain("\"epoch\": 2");
        StateEntry.Read(file.State).Select(e => e.ToString()).ShouldBe([
            "conv1.weight Float32 [8, 1, 3, 3]", "conv1.bias Float32 [8]",
            "conv2.weight Float32 [16, 8, 3, 3]", "conv2.bias Float32 [16]",
            "head.weight Float32 [10, 784]", "head.bias Float32 [10]",
        ]);
    }

    [Fact]
    public void Loading_into_a_differently_shaped_module_is_refused_listing_every_difference_and_loads_nothing()
    {
        using var scope = NewDisposeScope();
        using var saved = new TinyCnn(width: 8);
        var path = PathOf("tiny.ckpt");
        Checkpoint.Save(path, saved, Info);
        using var other = new TinyCnnWithExtraLayer();
        var weightsBefore = other.state_dict()["conv1.weight"].clone();

        var error = Should.Throw<CheckpointException>(() => Checkpoint.Load(path, other, "w8"));

        error.Message.ShouldBe(string.Join("\n",
            $"{path} does not fit this module:",
            "  missing from checkpoint: hidden.weight [32, 588]",
            "  missing from checkpoint: hidden.bias [32]",
            "  shape mismatch: conv2.weight is Float32 [12, 8, 3, 3] in the module, Float32 [16, 8, 3, 3] in the checkpoint",
            "  shape mismatch: conv2.bias is Float32 [12] in the module, Float32 [16] in the checkpoint",
            "  shape mismatch: head.weight is Float32 [10, 32] in the module, Float32 [10, 784] in the checkpoint"));
        TensorAssertions.Identical(other.state_dict()["conv1.weight"], weightsBefore).ShouldBeTrue(); // nothing was loaded
    }

    [Fact]
    public void A_checkpoint_of_another_variant_is_refused_even_when_its_tensors_fit()
    {
        using var model = new TinyCnn(width: 8);
        var path = PathOf("tiny.ckpt");
        Checkpoint.Save(path, model, Info);

        Should.Throw<CheckpointException>(() => Checkpoint.Load(path, model, "w16")).Message.ShouldBe(
            $"{path} was trained as w8, not w16: its keys and shapes are the same, but the training settings are another model's");
    }

    /// <summary>A stream that accepts <paramref name="limit"/> bytes, then fails as a full disk or a killed process would.</summary>
    private sealed class FailingStream(Stream inner, long limit) : Stream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, limit - inner.Position);
            inner.Write(buffer[..allowed]);
            if (allowed < buffer.Length)
                throw new IOException("No space left on device (simulated)");
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void A_save_that_fails_half_way_leaves_the_previous_checkpoint_whole_and_loadable()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("tiny.ckpt");
        using var first = TinyCnn.Create(seed: 1);
        Checkpoint.Save(path, first, Info);
        var before = File.ReadAllBytes(path);
        using var second = TinyCnn.Create(seed: 2);

        Should.Throw<IOException>(() => Checkpoint.Save(path, second, Info with { Epoch = 3, History = [.. Info.History, Info.History[1] with { Epoch = 3 }] },
            writeFile: (target, write) => AtomicFile.Write(target, stream => write(new FailingStream(stream, before.Length / 2)))));

        File.ReadAllBytes(path).ShouldBe(before);
        using var restored = TinyCnn.Create(seed: 3);
        Checkpoint.Load(path, restored, "w8").Epoch.ShouldBe(2);
        TensorAssertions.Identical(restored.state_dict()["head.weight"], first.state_dict()["head.weight"]).ShouldBeTrue();
        Directory.GetFiles(_directory).Select(Path.GetFileName).ShouldBe(["tiny.ckpt"]); // the temporary file is gone
    }

    [Fact]
    public void Non_finite_weights_are_never_saved_so_the_good_checkpoint_stays()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("tiny.ckpt");
        using var model = TinyCnn.Create(seed: 1);
        Checkpoint.Save(path, model, Info);
        var before = File.ReadAllBytes(path);
        using (no_grad())
            model.state_dict()["conv2.bias"][3] = float.NaN;

        Should.Throw<CheckpointException>(() => Checkpoint.Save(path, model, Info)).Message.ShouldBe(
            $"{path} not saved, so it keeps what it held: conv2.bias[3] is NaN: the weights are not finite (the run that saved them diverged)");
        File.ReadAllBytes(path).ShouldBe(before);
    }

    [Fact]
    public void A_description_that_cannot_be_true_is_not_saved()
    {
        using var model = new TinyCnn(width: 8);
        var path = PathOf("tiny.ckpt");

        Should.Throw<CheckpointException>(() => Checkpoint.Save(path, model, Info with { Epoch = 99 }))
            .Message.ShouldBe($"{path} not saved: it says epoch 99 but its history has 2 epochs");
        Should.Throw<CheckpointException>(() => Checkpoint.Save(path, model, Info with { History = [Info.History[0] with { TestLoss = double.NaN }, Info.History[1]] }))
            .Message.ShouldBe($"{path} not saved: epoch 1 of its history has test loss NaN");
        File.Exists(path).ShouldBeFalse();
    }
}
