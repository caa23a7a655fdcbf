using Microsoft.CodeAnalysis;
using TorchSharp;

namespace NetDsl.Generator.Tests;

/// <summary>Path labels, labels inside loops, and constant defaults, through the generator.</summary>
public class LanguageFeatureTests
{
    private static NetDsl.Model.NetworkReport Report(string nn, string network)
    {
        var tree = NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", nn)).Tree;
        var result = NetDsl.Checking.Checker.Check([tree]);
        result.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        return result.Networks.Single(n => n.Name == network);
    }

    [Fact]
    public void LabelledPartsOfABlockAreRegisteredOnceUnderTheirLabels()
    {
        // TorchSharp registers a child's fields when it joins its parent; a label property's backing field must not
        // become a second name for the same weights.
        const string nn = """
            block Pair(out: int) {
                inputs x, y
                from x conv(out, k: 1) as left -> p
                from y conv(out, k: 3) -> q
                fuse(p, q) as mixed
            }
            network Net {
                input 4x8x8
                conv(8, k: 3) as stem -> a
                from a, a Pair(8) as pair
                avgpool flatten linear(10)
            }
            """;
        using var generated = new GeneratedAssembly(nn);
        using var module = generated.Create("Net");

        module.state_dict().Keys.Order(StringComparer.Ordinal).ShouldBe(
        [
            "2.bias", "2.weight", "pair.0.bias", "pair.0.weight", "pair.left.bias", "pair.left.weight", "pair.mixed.weight",
            "stem.bias", "stem.weight",
        ]);
    }

    [Fact]
    public void LabelledPathsHaveTheStateDictNamesOfTheCheckersReport()
    {
        const string nn = """
            network Paths(extra: int = 1) {
                input 4x8x8
                parallel concat {
                    path wide { conv(8, k: 1) bn relu }
                    path { conv(4, k: 3) }
                    for e in 1..extra { path { conv(2, k: 1) } }
                }
                split { path keep { } path { conv(7, k: 1) } }
                avgpool flatten linear(10)
            }
            """;
        using var generated = new GeneratedAssembly(nn);
        using var module = generated.Create("Paths");

        var names = module.named_modules().Select(m => m.name).Where(name => name.Length > 0).ToList();
        names.ShouldContain("0.wide");
        names.ShouldContain("0.path2");
        names.ShouldContain("0.path3");
        names.ShouldContain("1.keep");
        names.ShouldContain("1.path2.0");
        var reported = Report(nn, "Paths").Layers.Select(row => row.Path).ToList();
        names.ShouldBe(reported, ignoreOrder: true);
        using var output = module.call(torch.randn(1, 4, 8, 8));
        output.shape.ShouldBe([1L, 10L]);
    }

    [Fact]
    public void AParallelAddOfEqualShapesBuildsAndAMismatchFailsWithNN0205()
    {
        const string nn = """
            network Sum(width: int = 4) {
                input 4x8x8
                parallel add { path { conv(4, k: 3) } path { conv(width, k: 1) } }
                avgpool flatten linear(10)
            }
            """;
        using var generated = new GeneratedAssembly(nn);
        using var module = generated.Create("Sum");
        module.named_modules().Select(m => m.name).ShouldContain("0.path2.0");

        var error = Should.Throw<NetDsl.Runtime.NetDslArgumentException>(() => generated.Create("Sum", ("width", 5L)));
        error.Message.ShouldBe("NN0205: add of paths with shapes 4x8x8 and 5x8x8: path 2 differs from path 1");
    }

    [Theory]
    [InlineData("repeat n { conv(8, k: 3) as c bn relu }", "c", "repeat")]
    [InlineData("for i in 1..n { if i > 0 { stage: { conv(8, k: 3) } } }", "stage", "for")]
    [InlineData("parallel concat { repeat n { path p { conv(8, k: 1) } } }", "p", "repeat")]
    public void ALabelInsideALoopIsAnErrorThatSaysWhy(string statements, string label, string loop)
    {
        var nn = $"network Looped(n: int = 1) {{\n    input 3x8x8\n    {statements}\n    avgpool flatten linear(10)\n}}\n";
        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Looped.nn", nn)), GeneratorHarness.Compilation());

        // n is 1 at the defaults, so evaluation sees each label once; the checker rejects what other arguments would repeat.
        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("NN0134");
        error.GetMessage().ShouldStartWith($"label '{label}' is inside '{loop}': a label names one module, but the loop makes one per pass");
    }

    [Fact]
    public void ALabelInsideALoopIsReportedAtTheLabel()
    {
        const string nn = "network Once(n: int = 1) {\n    input 3x8x8\n    repeat n { conv(8, k: 3) as c bn relu }\n    avgpool flatten linear(10)\n}\n";
        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Once.nn", nn)), GeneratorHarness.Compilation());

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("NN0134");
        error.Location.GetLineSpan().StartLinePosition.ShouldBe(new Microsoft.CodeAnalysis.Text.LinePosition(2, 32));
    }

    [Fact]
    public void LabelsInsideAGroupOrPathInALoopAreFine()
    {
        const string nn = """
            network Fine(n: int = 2) {
                input 3x8x8
                repeat n { residual { conv(3, k: 3) as inner bn } }
                parallel concat { path a { repeat n { conv(4, k: 3) } } path b { } }
                avgpool flatten linear(10)
            }
            """;
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Fine.nn", nn)), GeneratorHarness.Compilation());

        diagnostics.ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ShouldBeEmpty();
    }

    [Fact]
    public void ConstantExpressionsAsDefaultsAndVariantArgumentsBecomeTheirValues()
    {
        const string nn = """
            network Scaled(width: float = 1.0 / 2, depth: int = 8 div 3 + 1, wide: bool = !(2 > 3), bias: float = -(2 ^ 3)) {
                input 3x8x8
                conv(round(16 * width) * depth, k: 3) bn relu
                if wide { conv(8, k: 1) }
                avgpool flatten linear(10) dropout(bias + 8.0)
            }
            variant Scaled_Quarter = Scaled(width: 1 / 4, depth: max(1, 2))
            """;
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Scaled.nn", nn)), GeneratorHarness.Compilation());

        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ShouldBeEmpty();
        var generated = string.Concat(output.SyntaxTrees.Select(t => t.ToString()));
        generated.ShouldContain("double width = 0.5, long depth = 3, bool wide = true, double bias = -8.0");
        generated.ShouldContain("double width = 0.25, long depth = 2,");
    }

    [Fact]
    public void ADefaultThatDependsOnAnotherParameterIsRejectedWithAReason()
    {
        const string nn = "network Dependent(a: int = 4, b: int = a * 2) {\n    input 3x8x8\n    conv(a * b, k: 3) avgpool flatten linear(10)\n}\n";
        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Dependent.nn", nn)), GeneratorHarness.Compilation());

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("NN0137");
        error.GetMessage().ShouldContain("it cannot use 'a'");
    }
}
