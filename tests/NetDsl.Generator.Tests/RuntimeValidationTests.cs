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

    [Fact]
    public void TheRuntimesCopyOfTheSpatialMessageIsTheCatalogues() =>
        NetDsl.Runtime.Composition.Require.SpatialTooSmallFormat.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.SpatialTooSmall.MessageFormat);

    [Fact]
    public void TheRuntimesCopiesOfTheMergeMessagesAreTheCatalogues()
    {
        NetDsl.Runtime.Composition.FeatureChecks.MergeShapeMismatchCode.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeShapeMismatch.Code);
        NetDsl.Runtime.Composition.FeatureChecks.MergeShapeMismatchFormat.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeShapeMismatch.MessageFormat);
        NetDsl.Runtime.Composition.FeatureChecks.EqualShapesHint.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeEqualShapesHint);
        NetDsl.Runtime.Composition.FeatureChecks.EqualSpatialSizesHint.ShouldBe(NetDsl.Diagnostics.DiagnosticCatalog.MergeEqualSpatialSizesHint);
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
}
