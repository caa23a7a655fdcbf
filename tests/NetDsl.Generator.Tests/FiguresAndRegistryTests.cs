using Microsoft.CodeAnalysis;

namespace NetDsl.Generator.Tests;

/// <summary>The static <c>Figures</c> of every network and variant class, and the <c>NetDslModels</c> registry.</summary>
public class FiguresAndRegistryTests
{
    private const string Models = """
        network Tiny(classes: int = 10) {
            input 1x28x28
            conv(8, k: 3) bn relu avgpool flatten linear(classes) as head
        }
        network Sized(width: int) {
            input 3x32x32
            conv(width, k: 3) avgpool flatten linear(10)
        }
        variant Sized16 = Sized(width: 16)
        block Unused(out: int) { conv(out, k: 1) }
        """;

    private static (string Tiny, string Sized16, string? Registry, Compilation Output, IReadOnlyList<Diagnostic> Diagnostics) Generate(string models)
    {
        var (driver, output, diagnostics) = GeneratorHarness.Run(
            GeneratorHarness.Driver(new NnFile("/p/Models.nn", models)), GeneratorHarness.Compilation());
        var trees = driver.GetRunResult().GeneratedTrees;
        string? Source(string name) => trees.SingleOrDefault(t => Path.GetFileName(t.FilePath) == name)?.GetText().ToString();
        // A class's figures table is a part of its own, in Name.Figures.g.cs.
        return (Source("Tiny.g.cs") + Source("Tiny.Figures.g.cs"), Source("Sized16.g.cs") + Source("Sized16.Figures.g.cs"),
            Source("NetDslModels.g.cs"), output, diagnostics);
    }

    [Fact]
    public void Networks_and_variants_carry_the_checker_figures_row_by_row()
    {
        var (tiny, sized16, _, output, diagnostics) = Generate(Models);

        diagnostics.ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ShouldBeEmpty();
        tiny.ShouldContain("Name: \"Tiny\", Network: \"Tiny\", Variant: null,");
        tiny.ShouldContain("Input: new NetDslRuntime::FeatureShape(1, 28, 28), Output: new NetDslRuntime::FeatureShape(10, 1, 1),");
        // conv 1->8 k3: 72 weights; bn: 16; linear 8->10: 90. MACs: 72 x 28 x 28 (padded) + 80.
        tiny.ShouldContain("Parameters: 178, Macs: 56528,");
        tiny.ShouldContain("new NetDslRuntime::LayerFigures(\"head\", \"linear\", ");
        tiny.ShouldContain("new NetDslRuntime::FeatureShape(8, 1, 1), true, 0, 0),"); // flatten: flat output
        // Sized has a required parameter, so no figures of its own for the variant's to hide.
        sized16.ShouldContain("public static NetDslRuntime::NetworkFigures Figures");
        sized16.ShouldContain("Name: \"Sized16\", Network: \"Sized\", Variant: \"Sized16\",");
    }

    [Fact]
    public void The_registry_lists_what_builds_without_arguments_in_declaration_order()
    {
        var (_, _, registry, _, _) = Generate(Models);

        registry.ShouldNotBeNull();
        var entries = registry.Split('\n').Where(line => line.Contains("new NetDslRuntime::ModelEntry(")).Select(line => line.Trim()).ToList();
        entries.ShouldBe([
            "new NetDslRuntime::ModelEntry(global::Consumer.Models.Tiny.Figures, static () => new global::Consumer.Models.Tiny()),",
            "new NetDslRuntime::ModelEntry(global::Consumer.Models.Sized16.Figures, static () => new global::Consumer.Models.Sized16()),",
        ]);
    }

    [Theory]
    [InlineData("NetDslModels")]
    [InlineData("netdslmodels")]
    public void A_declaration_named_like_the_registry_in_any_case_is_a_checker_error_and_the_registry_stays(string name)
    {
        var (_, _, file, output, diagnostics) = Generate(Models + $"\nvariant {name} = Tiny(classes: 3)\n");

        var error = diagnostics.ShouldHaveSingleItem();
        error.Id.ShouldBe("NN0136");
        error.Location.GetLineSpan().Path.ShouldBe("/p/Models.nn");
        file.ShouldNotBeNull();
        file.ShouldContain("ModelEntry"); // the registry, not the variant
        output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
    }
}
