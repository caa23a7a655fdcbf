using System.Diagnostics;
using NetDsl.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;
using Xunit.Abstractions;

namespace NetDsl.Language.Tests.Checking;

/// <summary>The repository's model zoo (examples/models) checks clean; prints how long checking takes.</summary>
public class ModelZooTests(ITestOutputHelper output)
{
    [Fact]
    public void The_model_zoo_checks_clean_and_fast()
    {
        var directory = Path.Combine(DocumentExampleTests.RepositoryRoot(), "examples", "models");
        var trees = Directory.GetFiles(directory, "*.nn").Order()
            .Select(file => Parser.Parse(new SourceText(Path.GetFileName(file), File.ReadAllText(file))).Tree)
            .ToList();

        Checker.Check(trees);
        var watch = Stopwatch.StartNew();
        var result = Checker.Check(trees);
        watch.Stop();

        foreach (var network in result.Networks)
            output.WriteLine($"{network.Name}: {network.Parameters:N0} parameters, {network.Macs / 1e6:F2} M MACs, {network.Layers.Count} rows");
        output.WriteLine($"checked {trees.Count} files, {result.Networks.Count} networks in {watch.Elapsed.TotalMilliseconds:F1} ms");
        result.Diagnostics.Where(d => d.IsError).ShouldBeEmpty(string.Join("\n", result.Diagnostics));
    }
}
