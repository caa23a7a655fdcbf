using System.Globalization;
using NetDsl.Checking;
using NetDsl.Examples.Commands;
using NetDsl.Examples.Zoo;
using NetDsl.Model;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Examples.Tests;

public class ZooAndSummaryCommandTests
{
    private static readonly Lazy<IReadOnlyList<NetworkReport>> CheckerReports = new(() =>
    {
        var directory = Path.Combine(RepositoryRoot(), "examples", "models");
        var trees = Directory.GetFiles(directory, "*.nn").Order(StringComparer.Ordinal)
            .Select(path => Parser.Parse(new SourceText(path, File.ReadAllText(path))))
            .Select(parsed => parsed.Tree);
        var result = Checker.Check(trees);
        result.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        return result.Networks;
    });

    [Fact]
    public void Zoo_lists_every_reference_network_as_matching()
    {
        var run = ProgramRun.Of("zoo");

        run.ExitCode.ShouldBe(0);
        var references = ReferenceFigures.Load();
        references.Count.ShouldBe(32);    // 29 classifiers and the graph networks ResNet18FPN, EfficientDetD0 and UNet
        foreach (var reference in references)
        {
            var rows = run.TableRowsStartingWith(reference.Name).ToList();
            rows.Count.ShouldBe(1, $"one row for {reference.Name}");
            var cells = rows[0];
            cells[^2].ShouldBe("yes", $"{reference.Name}: {string.Join(" | ", cells)}");
            cells[2].ShouldBe(string.Join("x", reference.Input));
            // The checker's count (the generated Figures) and TorchSharp's count of the built module agree.
            cells[4].ShouldBe(cells[3], reference.Name);
        }
    }

    [Fact]
    public void The_registry_covers_exactly_the_reference_networks()
    {
        ModelCatalog.Default.Names.Order(StringComparer.Ordinal)
            .ShouldBe(ReferenceFigures.Load().Select(r => r.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_generated_figure_equals_the_checker_report_row_by_row()
    {
        foreach (var model in ModelCatalog.Default.Models)
        {
            var report = CheckerReports.Value.Single(r => r.Name == model.Name);
            var figures = model.Figures;
            (figures.Parameters, figures.Macs, figures.SizeMiB, figures.Input.ToString(), figures.Network, figures.Variant)
                .ShouldBe((report.Parameters, report.Macs, report.SizeMiB, report.Input.ToString(), report.NetworkName, report.VariantName), model.Name);
            figures.Layers.Select(l => (l.Path, l.Kind, l.Description, l.Depth, l.OutputText, l.Parameters, l.Macs))
                .ShouldBe(report.Layers.Select(l => (l.Path, l.Kind, l.Description, l.Depth, l.Output!.ToString(), l.Parameters, l.Macs)), model.Name);
        }
    }

    [Fact]
    public void Summary_prints_the_checker_rows_and_totals_of_the_network()
    {
        var run = ProgramRun.Of("summary", "MultiPathNet_Digits");

        run.ExitCode.ShouldBe(0);
        var report = CheckerReports.Value.Single(r => r.Name == "MultiPathNet_Digits");
        var printed = run.Output.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        foreach (var layer in report.Layers)
        {
            var cells = new[]
            {
                layer.Path, layer.Description, layer.Output!.ToString(),
                layer.Parameters.ToString("N0", CultureInfo.InvariantCulture), SummaryCommand.FormatMacs(layer.Macs),
            };
            printed.ShouldContain(line => Cells(line).SequenceEqual(cells), $"row {layer.Path}");
        }
        printed.ShouldContain("MultiPathNet_Digits: 113,698 parameters, 14.17 M MACs, 0.43 MiB at 1x28x28");
    }

    /// <summary>A Spectre table line split into its cells (runs of two or more spaces separate them).</summary>
    private static string[] Cells(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}").Select(c => c.Trim()).ToArray();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException("no Dsl.sln above " + AppContext.BaseDirectory);
    }
}
