using System.Diagnostics;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// Every zoo network and variant as the generator built it: TorchSharp's own parameter count against the
/// checker and the published figure, a forward and backward pass at the declared input, readable state-dict
/// keys. Each test builds and frees its module inside a dispose scope, so the whole zoo runs in one process.
/// </summary>
public class ZooModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => Zoo.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void TorchSharpCountsTheCheckersParametersAndTheReferenceFigures(string name)
    {
        var report = Zoo.ReportFor(name);
        var reference = Zoo.ReferenceFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();

        module.GetType().Name.ShouldBe(name);    // the row builds the class of its own name, not a sibling variant
        long counted = module.parameters().Sum(p => p.numel());

        counted.ShouldBe(report.Parameters, $"{name}: TorchSharp counts {counted:N0} parameters, the checker {report.Parameters:N0}");
        reference.ParametersMatch(counted).ShouldBeTrue(
            $"{name}: {counted:N0} parameters, reference {reference.Parameters:N0} ± {reference.ParametersTolerance:P2} ({reference.Source})");
        reference.MacsMatch(report.Macs).ShouldBeTrue(
            $"{name}: {report.Macs:N0} MACs, reference {reference.Macs:N0} ± {reference.MacsTolerance:P2} ({reference.Source})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheDeclaredInputAndClassesAreTheReferences(string name)
    {
        var report = Zoo.ReportFor(name);
        var reference = Zoo.ReferenceFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();

        new[] { module.InputShape.Channels, module.InputShape.Height, module.InputShape.Width }.ShouldBe(reference.Input);
        new[] { report.Input.Channels, report.Input.Height, report.Input.Width }.ShouldBe(reference.Input);
        report.Output.ShouldNotBeNull();
        report.Output.IsFlat.ShouldBeTrue();
        module.OutputShape.Channels.ShouldBe(report.Output.Channels);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ABatchOfTwoRunsForwardAndBackwardToEveryParameter(string name)
    {
        var report = Zoo.ReportFor(name);
        long classes = report.Output!.Channels;
        var watch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();
        module.train();    // batch-norm statistics from the batch: 2 values per channel even at 1x1
        manual_seed(7);
        var input = randn(2, report.Input.Channels, report.Input.Height, report.Input.Width);
        var targets = tensor(new long[] { 0, classes - 1 });
        long built = watch.ElapsedMilliseconds;

        var logits = module.call(input);
        logits.shape.ShouldBe(new[] { 2L, classes });
        logits.isfinite().all().item<bool>().ShouldBeTrue($"{name} gives non-finite logits");
        long forward = watch.ElapsedMilliseconds;

        nn.functional.cross_entropy(logits, targets).backward();
        long backward = watch.ElapsedMilliseconds;

        var parameters = module.named_parameters().ToList();
        parameters.ShouldNotBeEmpty();
        var missing = parameters.Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        missing.ShouldBeEmpty($"{name}: parameters without a gradient");
        var nonFinite = parameters.Where(p => !p.parameter.grad!.isfinite().all().item<bool>()).Select(p => p.name).ToList();
        nonFinite.ShouldBeEmpty($"{name}: parameters with a non-finite gradient");
        output.WriteLine($"{name}: build {built} ms, forward {forward - built} ms, backward {backward - forward} ms (torch threads {get_num_threads()})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictKeysAreReadableAndAreTheCheckersLayerPaths(string name)
    {
        var report = Zoo.ReportFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();

        var keys = module.state_dict().Keys.ToList();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => k.Length > 0 && !k.Contains("..") && !k.StartsWith('.') && !k.EndsWith('.'));
        keys.ShouldBeUnique();

        // Every parameter belongs to a layer the checker's summary names by the same path
        // (the key without its last part: "blocks.3.0.body.1.weight" -> "blocks.3.0.body.1").
        var paths = report.Layers.Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        var strangers = module.named_parameters()
            .Select(p => p.name)
            .Where(k => !paths.Contains(k[..k.LastIndexOf('.')]))
            .ToList();
        strangers.ShouldBeEmpty($"{name}: parameter keys whose layer the checker's summary does not name");
    }

    [Theory]
    [InlineData("MobileNetV2", new[]
    {
        "stem.0.weight", "stem.1.weight", "stem.1.bias", "stem.1.running_mean", "stem.1.running_var",
        "blocks.0.0.body.0.weight",     // InvertedResidual(16, expand: 1): residual without its skip, dwconv first
        "blocks.2.0.body.0.weight",     // InvertedResidual(24, expand: 6): with its skip, the 1x1 expansion first
        "last.0.weight", "classifier.weight", "classifier.bias",
    })]
    [InlineData("ResNet50", new[] { "stem.0.weight", "stem.1.running_var", "layer1.0.0.body.0.weight", "layer1.0.0.shortcut.0.weight", "layer4.2.0.body.7.running_var", "fc.weight", "fc.bias" })]
    [InlineData("CifarResNet18", new[] { "stem.0.weight", "layer2.0.0.shortcut.0.weight", "layer4.1.0.body.4.bias", "fc.weight", "fc.bias" })]
    public void KnownStateDictKeys(string name, string[] expected)
    {
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();

        var keys = module.state_dict().Keys.ToHashSet(StringComparer.Ordinal);
        foreach (string key in expected)
            keys.ShouldContain(key);
    }
}
