using Microsoft.CodeAnalysis;
using TorchSharp;

namespace NetDsl.Generator.Tests;

/// <summary>
/// Programs on which <c>netdsl check</c> and a build once disagreed: the checker's verdict, figures and paths
/// must be what the build gives.
/// </summary>
public class CheckerAgreementTests
{
    private static NetDsl.Checking.CheckResult Check(string nn) =>
        NetDsl.Checking.Checker.Check([NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", nn)).Tree]);

    private static long ParameterCount(torch.nn.Module module) => module.parameters().Sum(p => p.numel());

    [Fact]
    public void GlobalPoolingWithAStrideReportsAndBuildsTheSameParameterCount()
    {
        // Reported as 1,354 parameters while the build made AvgPool2d(k: 1, s: 2) and a linear layer of 11,434.
        const string nn = """
            network P() { input 8x32x32  conv(16, k: 3) bn relu  maxpool(k: 3, s: 2, pad: 1)  avgpool(s: 2)  flatten linear(10) }
            """;
        var result = Check(nn);
        result.Diagnostics.Select(d => d.Code).ShouldBe(["NN0192"]);
        var report = result.Networks.ShouldHaveSingleItem();
        report.Parameters.ShouldBe(1354);

        using var generated = new GeneratedAssembly(nn);
        using var module = generated.Create("P");
        ParameterCount(module).ShouldBe(report.Parameters);
        using var output = module.call(torch.randn(2, 8, 32, 32));
        output.shape.ShouldBe([2L, 10L]);
    }

    [Fact]
    public void PathsFromAForOverAListBuildWithTheCheckersPathsAndFigures()
    {
        const string nn = """
            network Inception(extra: int = 4) {
                input 3x16x16
                parallel concat { for (w, k) in [(8, 1), (16, 3), (extra, 5)] { path { conv(w, k: k) bn relu } } }
                split { for w in [4, 4] { path { conv(w, k: 1) } } }
                avgpool flatten linear(10)
            }
            """;
        var result = Check(nn);
        result.Diagnostics.ShouldBeEmpty();
        var report = result.Networks.ShouldHaveSingleItem();

        using var generated = new GeneratedAssembly(nn);
        using var module = generated.Create("Inception");
        ParameterCount(module).ShouldBe(report.Parameters);
        var names = module.named_modules().Select(m => m.name).Where(name => name.Length > 0).ToList();
        names.ShouldBe(report.Layers.Select(row => row.Path), ignoreOrder: true);
        using var output = module.call(torch.randn(1, 3, 16, 16));
        output.shape.ShouldBe([1L, 10L]);
    }

    [Theory]
    [InlineData("network Foo { input 3x8x8 conv(8) avgpool flatten linear(2) }\nnetwork foo { input 3x8x8 conv(4) avgpool flatten linear(2) }", "NN0135")]
    [InlineData("network netdslmodels { input 3x8x8 conv(8) avgpool flatten linear(2) }", "NN0136")]
    [InlineData("network var { input 3x8x8 conv(8) avgpool flatten linear(2) }", "NN0136")]
    [InlineData("block var { conv(8) }\nnetwork N { input 3x8x8 var avgpool flatten linear(2) }", "NN0136")]
    [InlineData("network Figures { input 3x8x8 conv(8) avgpool flatten linear(2) }", "NN0136")]
    [InlineData("network N(InputShape: int = 8) { input 3x8x8 conv(InputShape) avgpool flatten linear(2) }", "NN0136")]
    [InlineData("network N { input 3x8x8 let Append = 8 conv(Append) avgpool flatten linear(2) }", "NN0136")]
    [InlineData("network N { input 3x8x8 conv(8) as stem conv(8) as Stem avgpool flatten linear(2) }", "NN0135")]
    [InlineData("network N { input 3x8x8 conv(8) as n avgpool flatten linear(2) }", "NN0135")]
    [InlineData("network N(n: int = 1) { input 3x8x8 repeat n { conv(8) as c } avgpool flatten linear(2) }", "NN0134")]
    [InlineData("network N(a: int = 4, b: int = a * 2) { input 3x8x8 conv(b) avgpool flatten linear(2) }", "NN0137")]
    public void WhatTheBuildRejectsTheCheckerRejectsWithTheSameCodeAndNoCSharpErrors(string nn, string code)
    {
        Check(nn).Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct().ShouldBe([code]);

        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Names.nn", nn)), GeneratorHarness.Compilation());
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ShouldBe([code]);
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ShouldBeEmpty();
    }

    [Fact]
    public void NamesTheCheckerAcceptsCompileWithoutWarnings()
    {
        const string nn = """
            network record(dynamic: int = 8, scoped: int = 2) {
                input 3x8x8
                let file = dynamic * 2
                required: { conv(file) bn relu }
                for value in 1..scoped { conv(8) }
                conv(8) as counter
                avgpool flatten linear(10)
            }
            variant Record_Wide = record(dynamic: 16)
            block nameof(field: int) { conv(field) }
            network Uses { input 3x8x8 nameof(4) as yield avgpool flatten linear(2) }
            """;
        Check(nn).Diagnostics.Where(d => d.IsError).ShouldBeEmpty();

        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Names.nn", nn)), GeneratorHarness.Compilation());
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ShouldBeEmpty();
    }
}
