using NetDsl.Runtime.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

/// <summary>
/// Reading, writing and mapping state dicts without Python: PyTorch's order rebuilt from the module tree, the
/// file's order kept, by-name and by-structure matching, batch-norm counters, and every refusal leaving the
/// module untouched.
/// </summary>
public sealed class InteropTests
{
    /// <summary>conv (weight, bias), bn (weight, bias, 3 buffers), head (weight, bias): buffers sit in the middle.</summary>
    private static nn.Module<Tensor, Tensor> Small(long classes = 3) => nn.Sequential(
        ("conv", nn.Conv2d(2, 4, 3)),
        ("bn", nn.BatchNorm2d(4)),
        ("flat", nn.Flatten()),
        ("head", nn.Linear(4, classes)));

    private static readonly string[] PyTorchOrder =
    [
        "conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
        "head.weight", "head.bias",
    ];

    private static List<NamedTensor> Renamed(nn.Module module, Func<string, string> rename) =>
        ModuleState.InPyTorchOrder(module).Select(e => new NamedTensor(rename(e.Key), e.Tensor)).ToList();

    private static byte[] Written(IReadOnlyList<NamedTensor> entries, WeightFormat format)
    {
        using var stream = new MemoryStream();
        StateDictWriter.Write(entries, stream, format);
        return stream.ToArray();
    }

    /// <summary>Every key and value of the module's state dict, as text (round-trip formatting: exact).</summary>
    private static string Snapshot(nn.Module module) => string.Join("\n", module.state_dict().Select(kv =>
        kv.Key + " = " + string.Join(", ", kv.Value.to(ScalarType.Float32).data<float>().ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));

    [Fact]
    public void PyTorchOrderGoesModuleByModuleWhereTorchSharpListsParametersFirst()
    {
        using var module = Small();

        ModuleState.InPyTorchOrder(module).Select(e => e.Key).ShouldBe(PyTorchOrder);
        var torchSharpOrder = module.state_dict().Keys.ToArray();
        torchSharpOrder.ShouldBe(PyTorchOrder, ignoreOrder: true);
        torchSharpOrder.SequenceEqual(PyTorchOrder).ShouldBeFalse(); // TorchSharp: every parameter, then every buffer
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch)]
    [InlineData(WeightFormat.Safetensors)]
    public void WrittenFilesReadBackBitExactInTheirOrder(WeightFormat format)
    {
        random.manual_seed(1);
        using var module = Small();
        // Names whose alphabetical (and hash) order is not the file's: the order must come from the file.
        var entries = Renamed(module, key => "z" + (100 - Array.IndexOf(PyTorchOrder, key)) + "." + key.Split('.')[^1]);

        using var read = StateDictReader.Read(new MemoryStream(Written(entries, format)), format, "file");

        read.Entries.Select(e => e.Key).ShouldBe(entries.Select(e => e.Key));
        foreach (var (written, back) in entries.Zip(read.Entries))
        {
            back.Tensor.dtype.ShouldBe(written.Tensor.dtype);
            back.Tensor.shape.ShouldBe(written.Tensor.shape);
            back.Tensor.bytes.ToArray().ShouldBe(written.Tensor.bytes.ToArray());
        }
    }

    [Fact]
    public void OwnKeysLoadByName()
    {
        random.manual_seed(2);
        using var source = Small();
        using var target = Small();
        var file = Written(ModuleState.InPyTorchOrder(source), WeightFormat.PyTorch);

        var map = PyTorchWeights.Load(target, new MemoryStream(file), WeightFormat.PyTorch, "own.pt");

        map.Mode.ShouldBe(WeightMapMode.ByName);
        map.Pairs.Count.ShouldBe(PyTorchOrder.Length);
        Snapshot(target).ShouldBe(Snapshot(source));
    }

    [Fact]
    public void OtherKeysLoadByStructureInPyTorchsOrder()
    {
        random.manual_seed(3);
        using var source = Small();
        using var target = Small();
        var torchvisionLike = Renamed(source, key => key.Replace("conv.", "features.0.").Replace("bn.", "features.1.").Replace("head.", "classifier."));
        var file = Written(torchvisionLike, WeightFormat.PyTorch);

        var map = PyTorchWeights.Load(target, new MemoryStream(file), WeightFormat.PyTorch, "tv.pt");

        map.Mode.ShouldBe(WeightMapMode.ByStructure);
        Snapshot(target).ShouldBe(Snapshot(source));
        map.Describe().ShouldMatch(@"\n  bn\.running_var +<-  features\.1\.running_var  Float32 \[4\]\n");
        map.Describe().ShouldMatch(@"\n  bn\.num_batches_tracked  <-  features\.1\.num_batches_tracked  Int64 \[\]\n");
    }

    [Fact]
    public void AMissingBatchNormCounterKeepsTheModulesAndAnExtraOneIsIgnored()
    {
        random.manual_seed(4);
        using var source = Small();
        using var target = Small();
        using (no_grad())
            target.state_dict()["bn.num_batches_tracked"].fill_(5);
        var withoutCounter = Renamed(source, key => "m." + key).Where(e => !e.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();

        var map = PyTorchWeights.Load(target, new MemoryStream(Written(withoutCounter, WeightFormat.PyTorch)), WeightFormat.PyTorch, "old.pt");

        map.Notes.ShouldBe(["bn.num_batches_tracked: not in old.pt, kept"]);
        target.state_dict()["bn.num_batches_tracked"].item<long>().ShouldBe(5);
        target.state_dict()["head.weight"].data<float>().ToArray().ShouldBe(source.state_dict()["head.weight"].data<float>().ToArray());

        using var noCounters = nn.Sequential(("conv", nn.Conv2d(2, 4, 3)), ("bn", nn.BatchNorm2d(4, track_running_stats: true)), ("flat", nn.Flatten()), ("head", nn.Linear(4, 3)));
        var extra = Renamed(source, key => "m." + key).Append(new NamedTensor("m.other.num_batches_tracked", tensor(3L))).ToList();
        var extraMap = PyTorchWeights.Load(noCounters, new MemoryStream(Written(extra, WeightFormat.PyTorch)), WeightFormat.PyTorch, "extra.pt");
        extraMap.Notes.ShouldBe(["m.other.num_batches_tracked: no such counter in the module, ignored"]);
    }

    [Fact]
    public void AShapeThatDiffersIsRefusedNamingTheEntryAndNothingLoads()
    {
        using var target = Small();
        using var other = Small(classes: 5);
        var before = Snapshot(target);
        var file = Written(Renamed(other, key => "x." + key), WeightFormat.PyTorch);

        var refusal = Should.Throw<WeightMismatchException>(() => PyTorchWeights.Load(target, new MemoryStream(file), WeightFormat.PyTorch, "five.pt"));

        refusal.Message.ShouldBe("five.pt does not fit the module (2 entries differ in shape or element type): " +
                                 "entry 7: module head.weight Float32 [3, 4] <- file x.head.weight Float32 [5, 4]; " +
                                 "entry 8: module head.bias Float32 [3] <- file x.head.bias Float32 [5]");
        Snapshot(target).ShouldBe(before);
    }

    [Fact]
    public void ACountThatDiffersNamesTheFirstDifference()
    {
        using var target = Small();
        using var source = Small();
        var shorter = Renamed(source, key => "x." + key).Where(e => !e.Key.StartsWith("x.conv", StringComparison.Ordinal)).ToList();

        var refusal = Should.Throw<WeightMismatchException>(() =>
            PyTorchWeights.Load(target, new MemoryStream(Written(shorter, WeightFormat.Safetensors)), WeightFormat.Safetensors, "short.safetensors"));

        refusal.Message.ShouldBe("short.safetensors has 6 parameters and buffers, the module 8 (batch-norm counters aside), and its keys are not the module's: " +
                                 "first difference at entry 1: module conv.weight Float32 [4, 2, 3, 3], file x.bn.weight Float32 [4]");
    }

    [Fact]
    public void AnotherElementTypeOrANonFiniteValueIsRefused()
    {
        using var target = Small();
        var before = Snapshot(target);
        var doubles = ModuleState.InPyTorchOrder(target).Select(e => new NamedTensor(e.Key, e.Tensor.is_floating_point() ? e.Tensor.to(ScalarType.Float64) : e.Tensor)).ToList();
        Should.Throw<WeightMismatchException>(() => PyTorchWeights.Load(target, new MemoryStream(Written(doubles, WeightFormat.PyTorch)), WeightFormat.PyTorch, "f64.pt"))
            .Message.ShouldContain("conv.weight is Float32 [4, 2, 3, 3] in the module, Float64 [4, 2, 3, 3] in the file");

        var nan = ModuleState.InPyTorchOrder(target).Select(e => e.Key == "head.bias" ? new NamedTensor(e.Key, full(3, float.NaN)) : e).ToList();
        Should.Throw<WeightMismatchException>(() => PyTorchWeights.Load(target, new MemoryStream(Written(nan, WeightFormat.PyTorch)), WeightFormat.PyTorch, "nan.pt"))
            .Message.ShouldBe("nan.pt has non-finite values (NaN or infinity) in head.bias");
        Snapshot(target).ShouldBe(before);
    }

    [Theory]
    [InlineData(WeightFormat.PyTorch, "empty.pt is not a PyTorch state dict: it is not the zip archive torch.save writes (PyTorch 1.6 and later)")]
    [InlineData(WeightFormat.Safetensors, "empty.safetensors is not a safetensors file: it is shorter than the 8-byte header length")]
    public void AnEmptyFileIsNotAStateDict(WeightFormat format, string message)
    {
        var name = format == WeightFormat.PyTorch ? "empty.pt" : "empty.safetensors";
        Should.Throw<InteropFormatException>(() => StateDictReader.Read(new MemoryStream(), format, name)).Message.ShouldBe(message);
    }

    [Fact]
    public void NpyArraysRoundTrip()
    {
        random.manual_seed(5);
        using var values = randn(2, 3, 4, 5);
        using var stream = new MemoryStream();
        NpyFile.Write(values, stream);
        (stream.Length % 64).ShouldBe((2 * 3 * 4 * 5 * 4) % 64); // the header pads to 64 bytes
        stream.Position = 0;

        using var back = NpyFile.Read(stream, "x.npy");

        back.shape.ShouldBe([2L, 3L, 4L, 5L]);
        back.bytes.ToArray().ShouldBe(values.bytes.ToArray());
    }
}
