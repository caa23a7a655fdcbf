using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NetDsl.Model;

namespace NetDsl.Cli.Commands;

/// <summary>
/// <c>netdsl summary FILE... [--variant NAME] [--json]</c>: per network and variant, a table of every layer
/// (state-dict path, description, output shape, parameters, MACs) and a totals line, or the same as JSON.
/// </summary>
internal static class SummaryCommand
{
    public static Command Create(TextWriter output)
    {
        var files = SourceFiles.CreateArgument();
        var variant = new Option<string?>("--variant") { Description = "only this network or variant" };
        var json = new Option<bool>("--json") { Description = "print JSON instead of tables" };
        var command = new Command("summary", "Print each network's layers, shapes, parameters and MACs.") { files, variant, json };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(files) ?? Array.Empty<string>(),
            parseResult.GetValue(variant),
            parseResult.GetValue(json),
            output));
        return command;
    }

    /// <returns>0, or 1 (after printing the diagnostics) when the files have errors or the name is unknown.</returns>
    public static int Run(IReadOnlyList<string> paths, string? only, bool json, TextWriter output)
    {
        var result = ErrorFreeProgram.Check(paths, output);
        if (result is null)
            return 1;

        var networks = result.Networks.Where(n => only is null || n.Name == only).ToList();
        if (only is not null && networks.Count == 0)
        {
            output.WriteLine($"error: no network or variant named '{only}'; there are: {string.Join(", ", result.Networks.Select(n => n.Name))}");
            return 1;
        }
        if (json)
            output.WriteLine(Json(networks));
        else
            foreach (var network in networks)
                WriteTable(network, output);
        return 0;
    }

    /// <summary>"MobileNetV2: 3,504,872 parameters, 300.77 M MACs, 13.37 MiB at 3x224x224"</summary>
    public static string Totals(NetworkReport network) => string.Format(CultureInfo.InvariantCulture,
        "{0}: {1:N0} parameters, {2:F2} M MACs, {3:F2} MiB at {4}", network.Name, network.Parameters, network.Macs / 1e6, network.SizeMiB, network.Input);

    private static void WriteTable(NetworkReport network, TextWriter output)
    {
        var rows = network.Layers.Select(l => new[]
        {
            new string(' ', 2 * l.Depth) + l.Path,
            l.Description,
            l.Output?.ToString() ?? "?",
            l.Parameters.ToString("N0", CultureInfo.InvariantCulture),
            FormatMacs(l.Macs),
        }).ToList();
        var header = new[] { "layer", "description", "output", "parameters", "MACs" };
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, i) => i >= 3 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();

        output.WriteLine(network.VariantName is null ? network.Name : $"{network.Name} (variant of {network.NetworkName})");
        output.WriteLine(Line(header));
        output.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var row in rows)
            output.WriteLine(Line(row));
        if (network.Outputs.Count > 0)
            output.WriteLine("outputs: " + string.Join(", ", network.Outputs.Select(o => $"{o.Name} {o.Shape}")));
        output.WriteLine(Totals(network));
        output.WriteLine();
    }

    private static string FormatMacs(long macs) => macs == 0
        ? "0"
        : macs >= 1_000_000
            ? (macs / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M"
            : macs.ToString("N0", CultureInfo.InvariantCulture);

    private static string Json(IEnumerable<NetworkReport> networks)
    {
        static long[]? Dimensions(FeatureShape? shape) =>
            shape is null ? null : shape.IsFlat ? new[] { shape.Channels } : new[] { shape.Channels, shape.Height, shape.Width };

        var documents = networks.Select(n => new
        {
            name = n.Name,
            network = n.NetworkName,
            variant = n.VariantName,
            input = Dimensions(n.Input),
            output = Dimensions(n.Output),
            // A network with several outputs (outputs p3, p4): each by name, in order; empty otherwise.
            outputs = n.Outputs.Select(o => new { name = o.Name, shape = Dimensions(o.Shape) }),
            parameters = n.Parameters,
            macs = n.Macs,
            sizeMiB = Math.Round(n.SizeMiB, 4),
            layers = n.Layers.Select(l => new
            {
                path = l.Path,
                kind = l.Kind,
                description = l.Description,
                depth = l.Depth,
                output = Dimensions(l.Output),
                parameters = l.Parameters,
                macs = l.Macs,
            }),
        });
        return JsonSerializer.Serialize(documents, new JsonSerializerOptions { WriteIndented = true });
    }
}
