using System.CommandLine;
using System.Globalization;
using NetDsl.Examples.Zoo;
using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>
/// <c>zoo</c>: every model of examples/models with the checker's figures (from the generated classes), the
/// parameters TorchSharp counts in each built module, and the reference figure of reference.json.
/// </summary>
public static class ZooCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("zoo", "Build every zoo network and variant; compare its figures with reference.json.");
        command.SetAction(_ => Run(console));
        return command;
    }

    /// <returns>0 when every row matches, 1 otherwise.</returns>
    public static int Run(IAnsiConsole console, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        var references = ReferenceFigures.Load();
        var rows = Measure(console, catalog, references);
        console.Write(Table(rows));
        var mismatches = rows.Count(r => !r.Matches);
        console.MarkupLine(mismatches == 0
            ? $"[green]{rows.Count} models: the built modules have the checker's parameter counts, and every figure matches reference.json.[/]"
            : $"[red]{mismatches} of {rows.Count} models do not match[/] (see the last column).");
        console.WriteLine();
        return mismatches == 0 ? 0 : 1;
    }

    /// <summary>One row per zoo model, in the zoo's order, then any reference.json name the zoo lacks.</summary>
    private static List<ZooRow> Measure(IAnsiConsole console, ModelCatalog catalog, IReadOnlyList<ReferenceEntry> references)
    {
        var byName = references.ToDictionary(r => r.Name);
        var rows = new List<ZooRow>();
        void MeasureAll(Action<string> building)
        {
            foreach (var model in catalog.Models)
            {
                building($"building {Markup.Escape(model.Name)} ({rows.Count + 1}/{catalog.Models.Count})");
                rows.Add(ZooRow.Measure(model, byName.GetValueOrDefault(model.Name)));
            }
        }

        // A spinner in a terminal; piped output gets only the table.
        if (console.Profile.Capabilities.Interactive)
            console.Status().Start("building the zoo", context => MeasureAll(text => context.Status(text)));
        else
            MeasureAll(_ => { });
        rows.AddRange(references.Where(r => catalog.Find(r.Name) is null).Select(r => new ZooRow(r.Name, null, null, r)));
        return rows;
    }

    private static Table Table(IEnumerable<ZooRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("The zoo: checker figures (generated), TorchSharp counts, reference.json");
        table.AddColumn("Network");
        table.AddColumn("Input");
        table.AddColumn(new TableColumn("Parameters").RightAligned());
        table.AddColumn(new TableColumn("TorchSharp").RightAligned());
        table.AddColumn(new TableColumn("MACs").RightAligned());
        table.AddColumn(new TableColumn("fp32 MiB").RightAligned());
        table.AddColumn(new TableColumn("Reference").RightAligned());
        table.AddColumn("Match");
        foreach (var row in rows)
        {
            var figures = row.Figures;
            var reference = row.Reference is null ? "-" : $"{Count(row.Reference.Parameters)} / {Macs(row.Reference.Macs)}";
            var match = row.Matches ? "[green]yes[/]" : $"[red]no[/]: {Markup.Escape(string.Join("; ", row.Problems))}";
            table.AddRow(
                Markup.Escape(row.Name),
                figures?.Input.ToString() ?? "-",
                figures is null ? "-" : Count(figures.Parameters),
                row.CountedParameters is { } counted ? Count(counted) : "-",
                figures is null ? "-" : Macs(figures.Macs),
                figures is null ? "-" : figures.SizeMiB.ToString("F2", CultureInfo.InvariantCulture),
                reference,
                match);
        }
        return table;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Macs(long macs) => (macs / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " M";
}
