using NetDsl.LanguageServer.Protocol;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer.Features;

/// <summary>
/// The output shape at the end of each line that ends a layer, block use or container: the last statement
/// ending on the line, at the networks' defaults. A statement evaluated with different shapes (a block used
/// in several places) shows each distinct shape.
/// </summary>
internal static class InlayHints
{
    private const int MaxShapes = 3;

    public static InlayHint[] In(Analysis analysis, AnalyzedDocument document, TextSpan range)
    {
        var byStatement = new Dictionary<TextSpan, List<FeatureShape>>();
        foreach (var report in analysis.Check.Networks.Where(r => r.VariantName is null))
        {
            foreach (var row in report.Layers)
            {
                if (row.Location.Path != document.Path || row.Output is null)
                    continue;
                if (!byStatement.TryGetValue(row.Location.Span, out var shapes))
                    byStatement[row.Location.Span] = shapes = [];
                if (!shapes.Contains(row.Output))
                    shapes.Add(row.Output);
            }
        }

        // Per line, the statement that ends last on it; of two ending at the same place, the outer one.
        var lastOnLine = new Dictionary<int, TextSpan>();
        foreach (var span in byStatement.Keys)
        {
            if (span.End < range.Start || span.End > range.End)
                continue;
            int line = document.Positions.ToPosition(span.End).Line;
            if (!lastOnLine.TryGetValue(line, out var current) || span.End > current.End || (span.End == current.End && span.Length > current.Length))
                lastOnLine[line] = span;
        }

        return lastOnLine.OrderBy(l => l.Key).Select(l =>
        {
            var shapes = byStatement[l.Value];
            string label = "→ " + string.Join(" | ", shapes.Take(MaxShapes)) + (shapes.Count > MaxShapes ? $" | … ({shapes.Count - MaxShapes} more)" : "");
            return new InlayHint(document.Positions.ToPosition(l.Value.End), label, 1, true, null);
        }).ToArray();
    }
}
