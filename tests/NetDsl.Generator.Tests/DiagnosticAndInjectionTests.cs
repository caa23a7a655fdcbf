using Microsoft.CodeAnalysis;

namespace NetDsl.Generator.Tests;

public class DiagnosticAndInjectionTests
{
    [Fact]
    public void AnErrorInANnFileIsReportedAtItsPathLineAndColumnWithItsNnCode()
    {
        const string text = "network Broken(classes: int = 10) {\n    input 3x32x32\n    conv(64 / 3, k: 3) bn relu\n    avgpool flatten linear(classes)\n}\n";
        var (_, _, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Models/Broken.nn", text)), GeneratorHarness.Compilation());

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldStartWith("NN02");
        error.Severity.ShouldBe(DiagnosticSeverity.Error);
        var span = error.Location.GetLineSpan();
        span.Path.ShouldBe("/p/Models/Broken.nn");
        span.StartLinePosition.Line.ShouldBe(2);
        span.StartLinePosition.Character.ShouldBe(9);
    }

    [Fact]
    public void ASyntaxErrorIsReportedWithItsCode()
    {
        var (_, _, diagnostics) = GeneratorHarness.Run(
            GeneratorHarness.Driver(new NnFile("/p/Bad.nn", "network Bad() {\n  input 1x8x8\n  conv(8;\n}\n")), GeneratorHarness.Compilation());

        diagnostics.ShouldContain(d => d.Id.StartsWith("NN00") && d.Location.GetLineSpan().Path == "/p/Bad.nn");
    }

    [Fact]
    public void NamesThatAreCSharpKeywordsOrFrameworkTypesCompileAndCommentsAreNeverCopiedIntoCode()
    {
        const string text = """
            /* */ "; DeleteAll(); // */
            network System(@class: int = 10) {
                input 1x8x8
                Tensor(8) as Console
                avgpool flatten linear(class)
            }
            """;
        const string valid = """
            // */ "; DeleteAll(); //
            network System(class_: int = 10, base: int = 4) {
                input 1x8x8
                Tensor(base * 2) as console
                avgpool flatten linear(class_)
            }
            block Tensor(string: int) {
                conv(string, k: 3) bn relu
            }
            """;
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Names.nn", valid)),
            GeneratorHarness.Compilation("class Use { object Make() => new Consumer.Models.System(class_: 3, @base: 2); }"));

        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ShouldBeEmpty();
        var generated = string.Concat(output.SyntaxTrees.Select(t => t.ToString()));
        generated.ShouldNotContain("DeleteAll");
        generated.ShouldContain("long @base = 4");
        generated.ShouldContain("global::Consumer.Models.Tensor(shape");
        text.ShouldNotBeEmpty();
    }
}
