using Microsoft.CodeAnalysis;

namespace NetDsl.Generator.Tests;

public class IncrementalTests
{
    private const string Tiny = """
        network Tiny(classes: int = 10) {
            input 1x28x28
            stem: { conv(16, k: 3) bn relu }
            conv(32, k: 3, s: 2) as down bn relu
            avgpool flatten linear(classes) as head
        }
        """;

    private const string Other = """
        network Other(width: int = 8) {
            input 3x32x32
            conv(width, k: 3) bn relu avgpool flatten linear(10)
        }
        """;

    [Fact]
    public void EditingOneNnFileReparsesOnlyThatFileAndLeavesOtherOutputsCached()
    {
        var compilation = GeneratorHarness.Compilation();
        var tiny = new NnFile("/p/Tiny.nn", Tiny);
        var driver = GeneratorHarness.Driver(tiny, new NnFile("/p/Other.nn", Other)).RunGenerators(compilation);

        driver = driver.ReplaceAdditionalText(tiny, new NnFile("/p/Tiny.nn", Tiny.Replace("conv(16", "conv(24")));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var parse = result.TrackedSteps[TrackingNames.Parse].SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
        parse.Count(reason => reason == IncrementalStepRunReason.Modified).ShouldBe(1);
        parse.Count(reason => reason == IncrementalStepRunReason.Cached).ShouldBe(1);
        var units = result.TrackedSteps[TrackingNames.Units].SelectMany(step => step.Outputs).ToList();
        units.Count(o => o.Reason == IncrementalStepRunReason.Modified).ShouldBe(1);
        units.Count(o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached).ShouldBe(1);
    }

    [Fact]
    public void EditingACSharpFileLeavesEveryStepCached()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(new NnFile("/p/Tiny.nn", Tiny), new NnFile("/p/Other.nn", Other)).RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(),
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class A { int x; }", path: "User.cs"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in new[] { TrackingNames.Read, TrackingNames.Parse, TrackingNames.Plan, TrackingNames.Units })
        {
            result.TrackedSteps[name].SelectMany(step => step.Outputs)
                .ShouldAllBe(o => o.Reason == IncrementalStepRunReason.Cached || o.Reason == IncrementalStepRunReason.Unchanged, name);
        }
    }

    [Fact]
    public void InsertingACommentLineAtTheTopReEmitsNoFileAndMovesTheDiagnosticsWithTheText()
    {
        // An unused let is a warning: the network is still generated, and the warning has a line to move.
        var text = Tiny.Replace("input 1x28x28", "input 1x28x28\n    let spare = 3");
        var compilation = GeneratorHarness.Compilation();
        var tiny = new NnFile("/p/Tiny.nn", text);
        var driver = GeneratorHarness.Driver(tiny, new NnFile("/p/Other.nn", Other)).RunGenerators(compilation);
        var before = driver.GetRunResult().Diagnostics.ShouldHaveSingleItem();

        driver = driver.ReplaceAdditionalText(tiny, new NnFile("/p/Tiny.nn", "// the digits model\n" + text));
        var run = driver.RunGenerators(compilation).GetRunResult();
        var result = run.Results.Single();

        result.TrackedSteps[TrackingNames.Parse].SelectMany(step => step.Outputs)
            .Count(o => o.Reason == IncrementalStepRunReason.Modified).ShouldBe(1);
        // The plan changes (its diagnostic moved), but every generated file's model is equal: nothing is emitted again.
        result.TrackedSteps[TrackingNames.Units].SelectMany(step => step.Outputs)
            .ShouldAllBe(o => o.Reason == IncrementalStepRunReason.Unchanged || o.Reason == IncrementalStepRunReason.Cached);
        result.TrackedSteps[TrackingNames.Registry].SelectMany(step => step.Outputs)
            .ShouldAllBe(o => o.Reason == IncrementalStepRunReason.Unchanged || o.Reason == IncrementalStepRunReason.Cached);
        var after = run.Diagnostics.ShouldHaveSingleItem();
        after.Id.ShouldBe(before.Id);
        after.Location.GetLineSpan().StartLinePosition.Line.ShouldBe(before.Location.GetLineSpan().StartLinePosition.Line + 1);
    }
}
