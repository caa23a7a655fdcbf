using System.Reflection;
using Microsoft.CodeAnalysis;
using NetDsl.Runtime;
using TorchSharp;

namespace NetDsl.Generator.Tests;

/// <summary>
/// Arguments passed to a generated constructor are checked when the module is built, with the code and the
/// message the checker gives for the same value written as a default.
/// </summary>
public class RuntimeValidationTests
{
    /// <summary>The checker's first error for <paramref name="nn"/>, as "NN0201: message".</summary>
    private static string CompileTimeError(string nn)
    {
        var tree = NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", nn)).Tree;
        var error = NetDsl.Checking.Checker.Check([tree]).Diagnostics.First(d => d.IsError);
        return $"{error.Code}: {error.Message}";
    }

    private static NetDslArgumentException BuildFails(string nn, string className, params (string, object)[] arguments)
    {
        using var generated = new GeneratedAssembly(nn);
        return Should.Throw<NetDslArgumentException>(() => generated.Create(className, arguments));
    }

    private const string Classifier = """
        network Classifier(classes: int = 10) {
            input 1x8x8
            conv(4, k: 3) bn relu avgpool flatten linear(classes)
        }
        """;

    [Fact]
    public void ANonPositiveChannelCountFailsWithNN0201AsTheCheckerSaysIt()
    {
        var error = BuildFails(Classifier, "Classifier", ("classes", 0L));

        error.Code.ShouldBe("NN0201");
        error.Message.ShouldBe("NN0201: channel count classes = 0 must be positive");
        error.Message.ShouldBe(CompileTimeError(Classifier.Replace("classes: int = 10", "classes: int = 0")));
    }

    [Fact]
    public void TooManyChannelsFailWithNN0304() =>
        BuildFails(Classifier, "Classifier", ("classes", 1_000_001L)).Message
            .ShouldBe(CompileTimeError(Classifier.Replace("classes: int = 10", "classes: int = 1000001")));

    private const string Resolution = """
        network Small(res: int = 16) {
            input 1 x res x res
            conv(4, k: 5, pad: 0) bn relu avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void ASpatialSizeThatReachesZeroFailsWithNN0203AsTheCheckerSaysIt()
    {
        var error = BuildFails(Resolution, "Small", ("res", 4L));

        error.Code.ShouldBe("NN0203");
        error.Message.ShouldBe("NN0203: conv 5x5 on 4x4 gives 0x0; the features are too small for this layer");
        error.Message.ShouldBe(CompileTimeError(Resolution.Replace("res: int = 16", "res: int = 4")));
    }

    [Fact]
    public void ANonPositiveInputSizeFailsWithNN0201() =>
        BuildFails(Resolution, "Small", ("res", 0L)).Message
            .ShouldBe(CompileTimeError(Resolution.Replace("res: int = 16", "res: int = 0")));

    /// <summary>
    /// The runtime writes the messages of the checks it makes once, in <c>Require.Catalogue</c>; each entry must be the
    /// language catalogue's entry of the same name, code and message format alike, so a mistake reads the same at build time.
    /// </summary>
    [Fact]
    public void EveryMessageOfTheRuntimeIsTheCatalogues()
    {
        var entries = typeof(NetDsl.Runtime.Composition.Require.Catalogue).GetFields(BindingFlags.Public | BindingFlags.Static);
        entries.Length.ShouldBeGreaterThanOrEqualTo(15);

        foreach (var entry in entries)
        {
            var runtime = (NetDsl.Runtime.Composition.Require.Diagnostic)entry.GetValue(null)!;
            var language = typeof(NetDsl.Diagnostics.DiagnosticCatalog).GetField(entry.Name, BindingFlags.Public | BindingFlags.Static)
                ?.GetValue(null) as NetDsl.Diagnostics.DiagnosticDescriptor;
            language.ShouldNotBeNull($"the catalogue has no entry {entry.Name}");
            runtime.Code.ShouldBe(language.Code, entry.Name);
            runtime.MessageFormat.ShouldBe(language.MessageFormat, entry.Name);
        }
    }

    [Fact]
    public void TheRuntimesCopiesOfTheMergeMessagesAreTheCatalogues()
    {
        // The codes and formats of NN0402 and NN0405 are Catalogue entries (EveryMessageOfTheRuntimeIsTheCatalogues); the
        // advice NN0402 ends with is a pair of constants beside them.
        NetDsl.Runtime.Composition.Require.Catalogue.MergeShapeMismatch.Code.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeShapeMismatch.Code);
        NetDsl.Runtime.Composition.Require.Catalogue.MergeShapeMismatch.MessageFormat.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeShapeMismatch.MessageFormat);
        NetDsl.Runtime.Composition.Require.MergeEqualShapesHint.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeEqualShapesHint);
        NetDsl.Runtime.Composition.Require.MergeEqualSpatialSizesHint.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeEqualSpatialSizesHint);
        NetDsl.Runtime.Composition.Require.Catalogue.BlockFeatureCount.Code.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.BlockFeatureCount.Code);
        NetDsl.Runtime.Composition.Require.Catalogue.BlockFeatureCount.MessageFormat.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.BlockFeatureCount.MessageFormat);
    }

    private const string Pyramid = """
        network Pyramid(wide: int = 8) {
            input 1x16x16
            conv(8, k: 3) -> fine
            conv(wide, k: 3, s: 2) -> coarse
            upsample(2) -> up
            add(fine, up) -> merged
            from coarse concat(coarse, coarse) -> doubled
            outputs merged, doubled
        }
        """;

    [Fact]
    public void FeatureMapsThatDoNotFitTheirMergeFailWithNN0402AsTheCheckerSaysIt()
    {
        var error = BuildFails(Pyramid, "Pyramid", ("wide", 16L));

        error.Code.ShouldBe("NN0402");
        error.Message.ShouldBe(
            "NN0402: add(fine, up): 'fine' is 8x16x16 but 'up' is 16x16x16; add needs equal shapes; bring them to one size with resize(to: ...) " +
            "or upsample, and to one channel count with a 1x1 conv");
        error.Message.ShouldBe(CompileTimeError(Pyramid.Replace("wide: int = 8", "wide: int = 16")));
    }

    private const string Repeated = """
        network Deep(n: int = 2, from: int = 1) {
            input 1x8x8
            repeat n { conv(4, k: 3) bn relu }
            for i in from..3 { conv(4, k: 3) bn relu }
            avgpool flatten linear(10)
        }
        """;

    [Theory]
    [InlineData(10_001L, "n: int = 10001")]
    [InlineData(-1L, "n: int = -1")]
    public void ABadRepeatCountFailsAsTheCheckerSaysIt(long count, string asDefault) =>
        BuildFails(Repeated, "Deep", ("n", count)).Message.ShouldBe(CompileTimeError(Repeated.Replace("n: int = 2", asDefault)));

    [Fact]
    public void ARangeOfMoreThan10000ItemsFailsWithNN0300() =>
        BuildFails(Repeated, "Deep", ("from", -10_000L)).Message
            .ShouldBe(CompileTimeError(Repeated.Replace("from: int = 1", "from: int = -10000")));

    private const string Split = """
        network Halves(parts: int = 2) {
            input 4x8x8
            split { repeat parts { path { conv(2, k: 1) } } }
            avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void ASplitWhosePathsComeFromALoopSplitsEvenlyAtBuildTime()
    {
        using var generated = new GeneratedAssembly(Split);
        using var module = generated.Create("Halves", ("parts", 4L));

        module.named_modules().Select(m => m.name).ShouldContain("0.path4.0");
        using var output = module.call(torch.randn(2, 4, 8, 8));
        output.shape.ShouldBe([2L, 10L]);
    }

    [Fact]
    public void AnUnevenSplitFailsWithNN0207AsTheCheckerSaysIt()
    {
        var error = BuildFails(Split, "Halves", ("parts", 3L));

        error.Message.ShouldBe("NN0207: split of 4 channels into 3 paths is not even; 4 / 3 = 1.333");
        error.Message.ShouldBe(CompileTimeError(Split.Replace("parts: int = 2", "parts: int = 3")));
    }

    [Fact]
    public void ASplitWithNoPathsFailsWithNN0130() =>
        BuildFails(Split, "Halves", ("parts", 0L)).Message.ShouldBe(CompileTimeError(Split.Replace("parts: int = 2", "parts: int = 0")));

    private const string Guarded = """
        network Guarded(n: int = 0, c: int = 0, wide: bool = false) {
            input 4x8x8
            repeat n { conv(c, k: 3) }
            if wide { conv(c, k: 1) } else { conv(4, k: 1) }
            avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void AChannelCountInALoopOfNoPassesOrABranchNotTakenIsNotChecked()
    {
        // The checker evaluates neither, so it accepts c = 0 here: a check at the top of the constructor would not.
        NetDsl.Checking.Checker.Check([NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", Guarded)).Tree])
            .Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        using var generated = new GeneratedAssembly(Guarded);
        using var module = generated.Create("Guarded");

        using var output = module.call(torch.randn(2, 4, 8, 8));
        output.shape.ShouldBe([2L, 10L]);
        Should.Throw<NetDslArgumentException>(() => generated.Create("Guarded", ("wide", true))).Message
            .ShouldBe(CompileTimeError(Guarded.Replace("wide: bool = false", "wide: bool = true")));
    }

    private const string BothBranches = """
        block Unit(c: int, wide: bool = false) {
            if wide { conv(c, k: 3) } else { conv(c, k: 1) }
        }
        network Both(c: int = 4, wide: bool = false) {
            input 4x8x8
            Unit(c, wide: wide)
            avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void AChannelCountBothBranchesMakeFailsAsTheCheckerSaysIt() =>
        BuildFails(BothBranches, "Both", ("c", 0L)).Message.ShouldBe(CompileTimeError(BothBranches.Replace("c: int = 4", "c: int = 0")));

    private const string Widths = """
        network Widths(width: float = 2.0) {
            input 4x8x8
            conv(width, k: 3) bn relu avgpool flatten linear(10)
        }
        """;

    [Theory]
    [InlineData(2.5, "width: float = 2.5")]
    [InlineData(0.0, "width: float = 0.0")]
    public void AFloatChannelCountFailsAsTheCheckerSaysIt(double width, string asDefault) =>
        BuildFails(Widths, "Widths", ("width", width)).Message.ShouldBe(CompileTimeError(Widths.Replace("width: float = 2.0", asDefault)));

    private const string Grouped = """
        network Grouped(c: int = 4, g: int = 2) {
            input 4x8x8
            conv(c, k: 1, groups: g) avgpool flatten linear(10)
        }
        """;

    [Theory]
    [InlineData(3L, 2L)] // the output channels
    [InlineData(4L, 3L)] // the input channels
    [InlineData(4L, 0L)] // not positive
    public void GroupsThatDoNotDivideTheChannelsFailAsTheCheckerSaysIt(long channels, long groups) =>
        BuildFails(Grouped, "Grouped", ("c", channels), ("g", groups)).Message
            .ShouldBe(CompileTimeError(Grouped.Replace("c: int = 4", $"c: int = {channels}").Replace("g: int = 2", $"g: int = {groups}")));

    private const string Skipped = """
        network Skipped(c: int = 4) {
            input 4x8x8
            residual when c > 0 { conv(c, k: 1) }
            avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void AResidualWhoseSkipIsTakenMustKeepTheShapeAsTheCheckerSays() =>
        BuildFails(Skipped, "Skipped", ("c", 8L)).Message.ShouldBe(CompileTimeError(Skipped.Replace("c: int = 4", "c: int = 8")));

    private const string Dense = """
        network Grown(s: int = 1) {
            input 4x8x8
            dense 2 { conv(4, k: 3, s: s) }
            avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void ADenseLayerThatChangesTheSizeFailsWithNN0204()
    {
        var error = BuildFails(Dense, "Grown", ("s", 2L));

        // The checker adds where the size changed ("layer 1 has a conv 3x3/2, 4 at line 3"), which the runtime cannot know.
        error.Message.ShouldBe("NN0204: dense concat of layers with spatial sizes 8x8 and 4x4");
        CompileTimeError(Dense.Replace("s: int = 1", "s: int = 2")).ShouldStartWith(error.Message);
    }
}
