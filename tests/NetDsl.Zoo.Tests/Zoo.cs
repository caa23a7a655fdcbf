using System.Text.Json;
using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Parsing;
using NetDsl.Runtime.Composition;
using NetDsl.Syntax;
using static TorchSharp.torch;
using Models = NetDsl.Examples.Models;

// The memory test reads the process working set, and the forward/backward timings are only meaningful
// with one network at a time on the machine's cores: no test classes side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NetDsl.Zoo.Tests;

/// <summary>One entry of examples/models/reference.json: the published figure a network must reproduce.</summary>
public sealed record ReferenceEntry(
    string Name,
    string File,
    long[] Input,
    long Parameters,
    long Macs,
    double ParametersTolerance,
    double MacsTolerance,
    string Source)
{
    /// <summary>Exact when the tolerance is 0, else within <c>tolerance × reference</c> (relative).</summary>
    public static bool Within(long actual, long expected, double tolerance) =>
        tolerance == 0 ? actual == expected : Math.Abs(actual - expected) <= tolerance * expected;

    public bool ParametersMatch(long actual) => Within(actual, Parameters, ParametersTolerance);

    public bool MacsMatch(long actual) => Within(actual, Macs, MacsTolerance);
}

/// <summary>
/// The model zoo: every network and variant of examples/models/*.nn as the C# class the generator made of
/// it, the published figures of reference.json, and the checker's report on the same files.
/// </summary>
public static class Zoo
{
    /// <summary>
    /// Every zoo network and variant, by the name the checker and reference.json use. A new .nn network or
    /// variant needs a row here (ZooCoverageTests fails until it has one).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<SequentialModule>> Factories = new Dictionary<string, Func<SequentialModule>>
    {
        ["CifarResNet18"] = () => new Models.CifarResNet18(),
        ["CifarSEResNet18"] = () => new Models.CifarSEResNet18(),
        ["CifarResNet18_CompConv"] = () => new Models.CifarResNet18_CompConv(),
        ["DenseNet121"] = () => new Models.DenseNet121(),
        ["EfficientNet"] = () => new Models.EfficientNet(),
        ["EfficientNetB0"] = () => new Models.EfficientNetB0(),
        ["EfficientNetB1"] = () => new Models.EfficientNetB1(),
        ["EfficientNetB3"] = () => new Models.EfficientNetB3(),
        ["GoogLeNet"] = () => new Models.GoogLeNet(),
        ["MobileNetV1"] = () => new Models.MobileNetV1(),
        ["MobileNetV1_075"] = () => new Models.MobileNetV1_075(),
        ["MobileNetV1_050"] = () => new Models.MobileNetV1_050(),
        ["MobileNetV1_025"] = () => new Models.MobileNetV1_025(),
        ["MobileNetV2"] = () => new Models.MobileNetV2(),
        ["MobileNetV2_050"] = () => new Models.MobileNetV2_050(),
        ["MobileNetV3Large"] = () => new Models.MobileNetV3Large(),
        ["MobileNetV3Small"] = () => new Models.MobileNetV3Small(),
        ["MultiPathNet"] = () => new Models.MultiPathNet(),
        ["MultiPathNet_SE"] = () => new Models.MultiPathNet_SE(),
        ["MultiPathNet_Large"] = () => new Models.MultiPathNet_Large(),
        ["MultiPathNet_Digits"] = () => new Models.MultiPathNet_Digits(),
        ["ResNet"] = () => new Models.ResNet(),
        ["ResNet18"] = () => new Models.ResNet18(),
        ["ResNet50"] = () => new Models.ResNet50(),
        ["ResNeXt50_32x4d"] = () => new Models.ResNeXt50_32x4d(),
        ["ShuffleNetV1_g3"] = () => new Models.ShuffleNetV1_g3(),
        ["ShuffleNetV2_x1_0"] = () => new Models.ShuffleNetV2_x1_0(),
        ["SqueezeNet1_0"] = () => new Models.SqueezeNet1_0(),
        ["SqueezeNet1_1"] = () => new Models.SqueezeNet1_1(),
    };

    /// <summary>
    /// The zoo's detection and segmentation networks, whose outputs are feature maps rather than logits: several
    /// (<see cref="IMultiOutputNetwork"/>) or one of full resolution. GraphZooTests covers them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Func<nn.Module>> GraphFactories = new Dictionary<string, Func<nn.Module>>
    {
        ["EfficientDetD0"] = () => new Models.EfficientDetD0(),
        ["ResNet18FPN"] = () => new Models.ResNet18FPN(),
        ["UNet"] = () => new Models.UNet(),
    };

    /// <summary>Every zoo network and variant: <see cref="Factories"/> and <see cref="GraphFactories"/>.</summary>
    public static IEnumerable<string> AllNames => Factories.Keys.Concat(GraphFactories.Keys);

    /// <summary>The repository root: the first directory above the test binaries that holds Dsl.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>examples/models, where the .nn files and reference.json live.</summary>
    public static string ModelsDirectory { get; } = Path.Combine(RepositoryRoot, "examples", "models");

    /// <summary>The published figures, by network name, in the order of reference.json.</summary>
    public static IReadOnlyList<ReferenceEntry> Reference => reference.Value;

    /// <summary>The checker's result on examples/models/*.nn (parsed and checked once per test run).</summary>
    public static CheckResult Check => check.Value;

    /// <summary>The names of <see cref="Factories"/>, one theory row each.</summary>
    public static TheoryData<string> Names() => new(Factories.Keys.Order(StringComparer.Ordinal));

    public static ReferenceEntry ReferenceFor(string name) =>
        Reference.SingleOrDefault(r => r.Name == name) ?? throw new KeyNotFoundException($"{name} is not in reference.json");

    public static NetworkReport ReportFor(string name) =>
        Check.Networks.SingleOrDefault(n => n.Name == name) ?? throw new KeyNotFoundException($"the checker reports no network or variant {name}");

    private static readonly Lazy<IReadOnlyList<ReferenceEntry>> reference = new(LoadReference);
    private static readonly Lazy<CheckResult> check = new(CheckModels);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"no Dsl.sln above {AppContext.BaseDirectory}");
    }

    private static IReadOnlyList<ReferenceEntry> LoadReference()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelsDirectory, "reference.json")));
        return document.RootElement.EnumerateObject().Select(p => new ReferenceEntry(
            p.Name,
            p.Value.GetProperty("file").GetString()!,
            p.Value.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            p.Value.GetProperty("params").GetInt64(),
            p.Value.GetProperty("macs").GetInt64(),
            p.Value.GetProperty("params_tolerance").GetDouble(),
            p.Value.GetProperty("macs_tolerance").GetDouble(),
            p.Value.GetProperty("source").GetString()!)).ToList();
    }

    private static CheckResult CheckModels()
    {
        var trees = Directory.EnumerateFiles(ModelsDirectory, "*.nn")
            .Order(StringComparer.Ordinal)
            .Select(path => Parser.Parse(new SourceText(path, File.ReadAllText(path))))
            .ToList();
        trees.SelectMany(t => t.Diagnostics).Where(d => d.IsError).ShouldBeEmpty();
        var result = Checker.Check(trees.Select(t => t.Tree));
        result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ShouldBeEmpty();
        return result;
    }
}
