using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// torchvision's own state dicts (random weights, written by <c>torch.save</c> in Debian's PyTorch through
/// tools/reference/torchvision_state_dict.py) load by structure into every zoo network that has a torchvision
/// counterpart, and give torchvision's eval-mode outputs.
/// </summary>
public sealed class TorchvisionCheckpointTests(TorchvisionCheckpoints checkpoints, ITestOutputHelper output) : IClassFixture<TorchvisionCheckpoints>
{
    /// <summary>Zoo networks whose reference.json figures come from torchvision.</summary>
    public static IReadOnlyList<string> WithTorchvisionCounterpart { get; } =
        Zoo.Reference.Where(r => r.Source.StartsWith("torchvision ", StringComparison.Ordinal)).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Names() => new(WithTorchvisionCounterpart);

    [Fact]
    public void TheScriptCoversEveryNetworkWithATorchvisionCounterpart()
    {
        var written = Directory.EnumerateFiles(checkpoints.Directory, "*.pt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        string.Join(", ", written).ShouldBe(string.Join(", ", WithTorchvisionCounterpart), "tools/reference/torchvision_state_dict.py --all and reference.json disagree");
        WithTorchvisionCounterpart.Count.ShouldBe(17);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TorchvisionStateDictGivesTorchvisionsLogits(string name)
    {
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();
        WeightMap map;
        using (var stream = File.OpenRead(checkpoints.StateDict(name)))
            map = PyTorchWeights.Load(module, stream, WeightFormat.PyTorch, name + ".pt");
        map.Mode.ShouldBe(WeightMapMode.ByStructure); // torchvision's keys are not the generated module's
        map.Pairs.Count.ShouldBe(module.state_dict().Count);

        Tensor input, expected;
        using (var stream = File.OpenRead(checkpoints.Input(name)))
            input = NpyFile.Read(stream, "input");
        using (var stream = File.OpenRead(checkpoints.Logits(name)))
            expected = NpyFile.Read(stream, "logits");
        module.eval();
        using var noGrad = no_grad();
        var actual = module.call(input);
        actual.shape.ShouldBe(expected.shape);
        var largest = expected.abs().max().item<float>();
        var difference = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{name}: {map.Pairs.Count} entries by structure; largest difference {difference:G3} = {difference / largest:G3} of the largest logit {largest:G4}");
        (difference / largest).ShouldBeLessThan(1e-4f, $"{name}: largest difference {difference} against largest logit {largest}");
    }
}

/// <summary>Every torchvision checkpoint, written once per test run into a temporary directory.</summary>
public sealed class TorchvisionCheckpoints : IDisposable
{
    public TorchvisionCheckpoints()
    {
        Directory = Path.Combine(Path.GetTempPath(), "netdsl-torchvision-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        DebianTorch.RunTool("torchvision_state_dict.py", "--all", "--out", Directory, "--batch", "1");
    }

    public string Directory { get; }

    public string StateDict(string name) => Path.Combine(Directory, name + ".pt");

    public string Input(string name) => Path.Combine(Directory, name + ".input.npy");

    public string Logits(string name) => Path.Combine(Directory, name + ".logits.npy");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>PyTorch's order of a generated module's state dict, rebuilt from its module tree, holds every entry once.</summary>
public sealed class PyTorchOrderTests
{
    [Theory]
    [MemberData(nameof(Zoo.Names), MemberType = typeof(Zoo))]
    public void HasExactlyTheStateDictsEntries(string name)
    {
        using var module = Zoo.Factories[name]();
        var ordered = ModuleState.InPyTorchOrder(module).Select(e => e.Key).ToList();

        ordered.Distinct().Count().ShouldBe(ordered.Count);
        ordered.ShouldBe(module.state_dict().Keys, ignoreOrder: true);
    }
}
