using System.Globalization;

namespace NetDsl.Bench.Report;

/// <summary>A Markdown table, printed as it is so it can be pasted into docs/benchmarks.md.</summary>
public sealed class ResultTable(params string[] headers)
{
    private readonly List<string[]> rows = new();

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}", nameof(cells));
        rows.Add(cells);
    }

    public void Print(TextWriter writer)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        writer.WriteLine(Line(headers, widths));
        writer.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
            writer.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}

/// <summary>Number formats shared by the table and the figure lines (invariant culture: the docs are in English).</summary>
public static class Format
{
    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Ratio(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Bytes(long value) => value < 10 * 1024
        ? $"{Count(value)} B"
        : $"{Number(value / 1024.0, "0.0")} KiB";
}
