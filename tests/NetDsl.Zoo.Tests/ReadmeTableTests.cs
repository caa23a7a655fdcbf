using System.Globalization;

namespace NetDsl.Zoo.Tests;

/// <summary>examples/README.md's zoo table names every network with the parameter count the tests check.</summary>
public class ReadmeTableTests
{
    [Fact]
    public void EveryReferenceNetworkHasARowWithItsExactParameterCount()
    {
        var rows = File.ReadAllLines(Path.Combine(Zoo.RepositoryRoot, "examples", "README.md"))
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();

        foreach (var entry in Zoo.Reference)
        {
            var row = rows.SingleOrDefault(cells => cells.Length > 1 && cells[1] == entry.Name);
            row.ShouldNotBeNull($"examples/README.md has no table row for {entry.Name}");
            string parameters = Zoo.ReportFor(entry.Name).Parameters.ToString("N0", CultureInfo.InvariantCulture);
            row.ShouldContain(parameters, $"{entry.Name}'s row does not show {parameters} parameters");
        }
    }
}
