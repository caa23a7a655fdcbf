using System.Diagnostics;
using Xunit.Abstractions;

namespace NetDsl.Generator.Tests;

/// <summary>How long the generator takes on the model zoo; printed for the record, never asserted (machines differ).</summary>
public class GeneratorTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void PrintsTheTimeToGenerateTheZooColdAndAfterEditingOneFile()
    {
        var zoo = GeneratorHarness.Zoo();
        var compilation = GeneratorHarness.Compilation();

        var cold = Stopwatch.StartNew();
        var driver = GeneratorHarness.Driver([.. zoo]).RunGenerators(compilation);
        cold.Stop();
        var files = driver.GetRunResult().GeneratedTrees.Length;

        // A second fresh driver: the generator's own code is now jitted, so this is parse + check + emit alone.
        var warm = Stopwatch.StartNew();
        GeneratorHarness.Driver([.. zoo]).RunGenerators(compilation);
        warm.Stop();

        Microsoft.CodeAnalysis.AdditionalText current = zoo.First(file => file.Path.EndsWith("mobilenet_v2.nn", StringComparison.Ordinal));
        var text = current.GetText()!.ToString();
        var edits = new List<TimeSpan>();
        for (var i = 1; i <= 5; i++)
        {
            // A different width default each time: that file is re-parsed, every file re-checked, MobileNetV2 re-emitted.
            var changed = new NnFile(current.Path, text.Replace("width: float = 1.0", $"width: float = 1.{i}"));
            driver = driver.ReplaceAdditionalText(current, changed);
            current = changed;
            var run = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            run.Stop();
            edits.Add(run.Elapsed);
        }

        output.WriteLine($"zoo: {zoo.Count} .nn files, {files} generated classes");
        output.WriteLine($"cold (first run, includes JIT): {cold.Elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"fresh driver, warm process:     {warm.Elapsed.TotalMilliseconds:F0} ms");
        output.WriteLine($"after editing mobilenet_v2.nn:  {string.Join(", ", edits.Select(e => $"{e.TotalMilliseconds:F0}"))} ms " +
                         $"(median {edits.OrderBy(e => e).ElementAt(edits.Count / 2).TotalMilliseconds:F0} ms)");
        files.ShouldBeGreaterThan(20);
    }
}
