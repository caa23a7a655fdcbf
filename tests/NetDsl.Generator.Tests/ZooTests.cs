using Microsoft.CodeAnalysis;

namespace NetDsl.Generator.Tests;

public class ZooTests
{
    [Fact]
    public void EveryZooModelGeneratesCodeThatCompilesWithoutWarnings()
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver([.. GeneratorHarness.Zoo()]), GeneratorHarness.Compilation());

        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        output.SyntaxTrees.Count().ShouldBeGreaterThan(20);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).Distinct().Take(30).ToList();
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void GeneratedLinesAreAtMost140Characters()
    {
        var driver = GeneratorHarness.Driver([.. GeneratorHarness.Zoo()]).RunGenerators(GeneratorHarness.Compilation());
        var tooLong = driver.GetRunResult().GeneratedTrees
            .SelectMany(tree => tree.GetText().Lines.Select(line => (File: Path.GetFileName(tree.FilePath), Text: line.ToString())))
            .Where(line => line.Text.Length > 140)
            .Select(line => $"{line.File}: {line.Text}")
            .ToList();
        tooLong.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("MobileNetV2")]
    [InlineData("InvertedResidual")]
    [InlineData("MobileNetV2_050")]
    [InlineData("ResNet")]
    [InlineData("BasicBlock")]
    [InlineData("DenseNet121")]
    [InlineData("ShuffleV2Unit")]
    [InlineData("MobileNetV2_050.Figures")] // a class's figures table, a part of its own; a variant's hides its network's
    public void GeneratedCodeMatchesTheApprovedSnapshot(string className)
    {
        var driver = GeneratorHarness.Driver([.. GeneratorHarness.Zoo()]).RunGenerators(GeneratorHarness.Compilation());
        var source = driver.GetRunResult().GeneratedTrees.SingleOrDefault(t => Path.GetFileName(t.FilePath) == className + ".g.cs");
        source.ShouldNotBeNull($"no generated file for {className}");

        source.GetText().ToString().ShouldMatchApproved(options => options
            .SubFolder("Snapshots")
            .WithDiscriminator(className)
            .NoDiff()
            .WithFileExtension("cs.txt"));
    }
}
