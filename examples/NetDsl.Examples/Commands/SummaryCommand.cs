using System.CommandLine;
using System.Globalization;
using NetDsl.Examples.Zoo;
using NetDsl.Runtime;
using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>
/// <c>summary NAME</c>: the per-layer table of a zoo model, from the figures the generator put in its class
/// (the same rows and totals as <c>netdsl summary</c> on its .nn file).
/// </summary>
public static class SummaryCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var name = new Argument<string>("name") { Description = "a zoo network or variant, e.g. MultiPathNet_Digits (see `zoo`)" };
        var command = new Command("summary", "Print a zoo model's layers: state-dict path, output shape, parameters, MACs.") { name };
        command.SetAction(parseResult => Run(console, parseResult.GetValue(name)!));
        return command;
    }

    public static int Run(IAnsiConsole console, string name, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(name) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(name));
        console.Write(Table(model.Figures));
        console.WriteLine(model.Figures.Totals);
        return 0;
    }

    private static Table Table(NetworkFigures figures)
    {
        var title = figures.Variant is null || figures.Variant == figures.Network
            ? figures.Name
            : $"{figures.Name} (variant of {figures.Network})";
        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(title));
        table.AddColumn(new TableColumn("layer").NoWrap()); // state-dict paths are read whole
        table.AddColumn("description");
        table.AddColumn("output");
        table.AddColumn(new TableColumn("parameters").RightAligned());
        table.AddColumn(new TableColumn("MACs").RightAligned());
        foreach (var layer in figures.Layers)
        {
            table.AddRow(
                Markup.Escape(new string(' ', 2 * layer.Depth) + layer.Path),
                Markup.Escape(layer.Description),
                layer.OutputText,
                layer.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                FormatMacs(layer.Macs));
        }
        return table;
    }

    /// <summary>As <c>netdsl summary</c> prints MACs: "0", "12,544", or "10.84 M".</summary>
    public static string FormatMacs(long macs) => macs == 0
        ? "0"
        : macs >= 1_000_000
            ? (macs / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M"
            : macs.ToString("N0", CultureInfo.InvariantCulture);
}
