using System.Globalization;
using NetDsl.Model;

namespace NetDsl.LanguageServer.Features;

/// <summary>Numbers as <c>netdsl summary</c> prints them.</summary>
internal static class Figures
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Macs(long macs) => macs >= 1_000_000
        ? (macs / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " M"
        : macs.ToString("N0", CultureInfo.InvariantCulture);

    public static string Shape(FeatureShape? shape) => shape?.ToString() ?? "?";

    /// <summary><c>3x224x224 → 1000 · 3,504,872 parameters · 300.77 M MACs · 13.37 MiB</c></summary>
    public static string Totals(NetworkReport report) => string.Format(CultureInfo.InvariantCulture,
        "`{0}` → `{1}` · {2} parameters · {3} MACs · {4:F2} MiB", report.Input, Shape(report.Output), Count(report.Parameters), Macs(report.Macs), report.SizeMiB);
}
