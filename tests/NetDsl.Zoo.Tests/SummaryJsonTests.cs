using System.Text.Json;

namespace NetDsl.Zoo.Tests;

/// <summary><c>netdsl summary --json examples/models</c> reports the figures the module tests check.</summary>
public class SummaryJsonTests
{
    [Fact]
    public void SummaryJsonReportsEveryZooNetworkWithTheCheckedParametersAndMacs()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = Cli.Program.Run(["summary", Zoo.ModelsDirectory, "--json"], output, error);

        exitCode.ShouldBe(0, output + error.ToString());
        error.ToString().ShouldBeEmpty();
        using var document = JsonDocument.Parse(output.ToString());
        var networks = document.RootElement.EnumerateArray().ToDictionary(
            n => n.GetProperty("name").GetString()!,
            n => (
                Parameters: n.GetProperty("parameters").GetInt64(),
                Macs: n.GetProperty("macs").GetInt64(),
                Input: n.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray()));

        networks.Keys.Order(StringComparer.Ordinal).ShouldBe(Zoo.AllNames.Order(StringComparer.Ordinal));
        foreach (var (name, figures) in networks)
        {
            var report = Zoo.ReportFor(name);
            var reference = Zoo.ReferenceFor(name);
            figures.Parameters.ShouldBe(report.Parameters, name);
            figures.Macs.ShouldBe(report.Macs, name);
            figures.Input.ShouldBe(reference.Input, name);
            reference.ParametersMatch(figures.Parameters).ShouldBeTrue($"{name}: {figures.Parameters:N0} parameters, reference {reference.Parameters:N0}");
            reference.MacsMatch(figures.Macs).ShouldBeTrue($"{name}: {figures.Macs:N0} MACs, reference {reference.Macs:N0}");
        }
    }
}
