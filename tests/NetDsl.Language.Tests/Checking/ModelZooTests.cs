using System.Diagnostics;
using NetDsl.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;
using Xunit.Abstractions;

namespace NetDsl.Language.Tests.Checking;

/// <summary>
/// Checks the repository's model zoo (examples/models) and prints the figures and how long checking takes. The zoo is
/// edited by others, so only checker failures (internal errors) are asserted here; its own tests assert its counts.
/// </summary>
public class ModelZooTests(ITestOutputHelper output)
{
    [Fact]
    public void The_model_zoo_checks_without_internal_errors()
    {
        var directory = RepositoryPaths.Combine("examples", "models");
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
        foreach (var diagnostic in result.Diagnostics)
            output.WriteLine(diagnostic.ToString());
        result.Diagnostics.ShouldNotContain(d => d.Code == "NN0399");
    }
}
