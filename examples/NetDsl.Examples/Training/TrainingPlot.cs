using System.Globalization;
using System.Security;
using System.Text;

namespace NetDsl.Examples.Training;

/// <summary>
/// Draws loss and accuracy per epoch as a self-contained SVG: two panels (loss, accuracy), each with
/// axes, ticks, labels, a train series and, when measured, a test series.
/// </summary>
public static class TrainingPlot
{
    private const int PanelWidth = 420, Height = 340;
    private const int Left = 64, Right = 24, Top = 48, Bottom = 56;
    private const string TrainColour = "#1f77b4", TestColour = "#d62728";

    /// <summary>Writes the plot atomically: a reader sees the previous plot or this one, never a part.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history, string title) =>
        NetDsl.IO.AtomicFile.WriteAllText(path, Render(history, title));

    public static string Render(IReadOnlyList<EpochMetrics> history, string title)
    {
        if (history.Count == 0)
            throw new ArgumentException("nothing to plot: the history has no epochs", nameof(history));

        var svg = new StringBuilder();
        svg.AppendLine($"""<svg xmlns="http://www.w3.org/2000/svg" width="{2 * PanelWidth}" height="{Height}" viewBox="0 0 {2 * PanelWidth} {Height}" font-family="sans-serif" font-size="12">""");
        svg.AppendLine($"""  <rect width="100%" height="100%" fill="white"/>""");
        svg.AppendLine($"""  <text x="{PanelWidth}" y="20" text-anchor="middle" font-size="15" font-weight="bold">{Escape(title)}</text>""");

        var epochs = history.Select(m => (double)m.Epoch).ToArray();
        var lossMax = history.SelectMany(m => new[] { m.TrainLoss, m.TestLoss ?? 0 }).Max();
        var loss = new Panel("Loss (cross-entropy)", OffsetX: 0, epochs, NiceAxis.From(0, lossMax));
        loss.Draw(svg,
            new Series("train", TrainColour, history.Select(m => (double?)m.TrainLoss).ToArray()),
            new Series("test", TestColour, history.Select(m => m.TestLoss).ToArray()));

        var accuracies = history.SelectMany(m => new[] { m.TrainAccuracy, m.TestAccuracy ?? m.TrainAccuracy }).Select(a => a * 100).ToArray();
        var accuracy = new Panel("Accuracy (%)", OffsetX: PanelWidth, epochs, NiceAxis.From(accuracies.Min(), 100));
        accuracy.Draw(svg,
            new Series("train", TrainColour, history.Select(m => (double?)(m.TrainAccuracy * 100)).ToArray()),
            new Series("test", TestColour, history.Select(m => m.TestAccuracy * 100).ToArray()));

        // One legend for both panels, in the title row, where no curve can run under it.
        var hasTest = history.Any(m => m.TestLoss.HasValue || m.TestAccuracy.HasValue);
        DrawLegend(svg, hasTest ? [("train", TrainColour), ("test", TestColour)] : [("train", TrainColour)]);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void DrawLegend(StringBuilder svg, (string Name, string Colour)[] entries)
    {
        var x = 2 * PanelWidth - Right - 70 * entries.Length;
        foreach (var (name, colour) in entries)
        {
            svg.AppendLine($"""  <line x1="{x}" y1="16" x2="{x + 18}" y2="16" stroke="{colour}" stroke-width="2"/>""");
            svg.AppendLine($"""  <text x="{x + 24}" y="16" dominant-baseline="middle">{Escape(name)}</text>""");
            x += 70;
        }
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private sealed record Series(string Name, string Colour, double?[] Values);

    private sealed record Panel(string Title, int OffsetX, double[] Epochs, NiceAxis Y)
    {
        private readonly double _firstEpoch = Epochs.Min(), _lastEpoch = Epochs.Max();

        private double X(double epoch) => _lastEpoch == _firstEpoch
            ? OffsetX + Left + (PanelWidth - Left - Right) / 2.0
            : OffsetX + Left + (epoch - _firstEpoch) / (_lastEpoch - _firstEpoch) * (PanelWidth - Left - Right);

        private double YPos(double value) => Top + (Y.Max - value) / (Y.Max - Y.Min) * (Height - Top - Bottom);

        public void Draw(StringBuilder svg, params Series[] series)
        {
            var (x0, x1, yBottom) = (OffsetX + Left, OffsetX + PanelWidth - Right, Height - Bottom);
            svg.AppendLine($"""  <g>""");
            svg.AppendLine($"""    <text x="{F((x0 + x1) / 2.0)}" y="{Top - 12}" text-anchor="middle" font-weight="bold">{Escape(Title)}</text>""");
            foreach (var tick in Y.Ticks())
            {
                var y = F(YPos(tick));
                svg.AppendLine($"""    <line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="#e0e0e0"/>""");
                svg.AppendLine($"""    <text x="{x0 - 6}" y="{y}" text-anchor="end" dominant-baseline="middle">{F(tick)}</text>""");
            }
            var step = Math.Max(1, (int)Math.Ceiling(Epochs.Length / 10.0));
            for (var i = 0; i < Epochs.Length; i += step)
            {
                var x = F(X(Epochs[i]));
                svg.AppendLine($"""    <line x1="{x}" y1="{yBottom}" x2="{x}" y2="{yBottom + 5}" stroke="black"/>""");
                svg.AppendLine($"""    <text x="{x}" y="{yBottom + 18}" text-anchor="middle">{F(Epochs[i])}</text>""");
            }
            svg.AppendLine($"""    <line x1="{x0}" y1="{Top}" x2="{x0}" y2="{yBottom}" stroke="black"/>""");
            svg.AppendLine($"""    <line x1="{x0}" y1="{yBottom}" x2="{x1}" y2="{yBottom}" stroke="black"/>""");
            svg.AppendLine($"""    <text x="{F((x0 + x1) / 2.0)}" y="{Height - 16}" text-anchor="middle">epoch</text>""");

            foreach (var s in series.Where(s => s.Values.Any(v => v.HasValue)))
            {
                var points = Epochs.Zip(s.Values).Where(p => p.Second.HasValue)
                    .Select(p => (X: F(X(p.First)), Y: F(YPos(p.Second!.Value)))).ToList();
                svg.AppendLine($"""    <polyline fill="none" stroke="{s.Colour}" stroke-width="2" points="{string.Join(" ", points.Select(p => $"{p.X},{p.Y}"))}"/>""");
                foreach (var p in points)
                    svg.AppendLine($"""    <circle cx="{p.X}" cy="{p.Y}" r="3" fill="{s.Colour}"/>""");
            }
            svg.AppendLine("  </g>");
        }
    }

    /// <summary>An axis range rounded outwards to 1, 2 or 5 times a power of ten, with its tick step.</summary>
    private sealed record NiceAxis(double Min, double Max, double Step)
    {
        public static NiceAxis From(double low, double high)
        {
            if (high <= low)
                high = low + 1;
            var rawStep = (high - low) / 5;
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rawStep)));
            var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= rawStep);
            return new NiceAxis(Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
        }

        public IEnumerable<double> Ticks()
        {
            for (var i = 0; Min + i * Step <= Max + Step / 1000; i++)
                yield return Math.Round(Min + i * Step, 10);
        }
    }
}
