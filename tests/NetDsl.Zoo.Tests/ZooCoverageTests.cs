namespace NetDsl.Zoo.Tests;

/// <summary>The table of factories, reference.json and the checker's report on examples/models name the same networks.</summary>
public class ZooCoverageTests
{
    [Fact]
    public void TheFactoryTableCoversEveryNameInReferenceJson()
    {
        var reference = Zoo.Reference.Select(r => r.Name).Order(StringComparer.Ordinal).ToList();

        reference.ShouldBeUnique();
        Zoo.AllNames.Order(StringComparer.Ordinal).ShouldBe(reference);
        reference.Count.ShouldBe(32);
    }

    [Fact]
    public void TheFactoryTableCoversEveryNetworkAndVariantTheCheckerReports()
    {
        var reported = Zoo.Check.Networks.Select(n => n.Name).Order(StringComparer.Ordinal).ToList();

        reported.ShouldBeUnique();
        Zoo.AllNames.Order(StringComparer.Ordinal).ShouldBe(reported);
    }

    [Fact]
    public void EveryReferenceEntryNamesTheFileThatDeclaresIt()
    {
        foreach (var entry in Zoo.Reference)
        {
            var report = Zoo.ReportFor(entry.Name);
            Path.GetFileName(report.Location.Path).ShouldBe(entry.File, entry.Name);
        }
    }
}
