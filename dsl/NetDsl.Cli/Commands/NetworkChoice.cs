using NetDsl.Model;

namespace NetDsl.Cli.Commands;

/// <summary>
/// Picks the one network a command draws: <c>--variant</c> names a network or variant, <c>--network</c> a network
/// at its defaults (or, with <c>--variant</c>, the network the variant must belong to); with neither, the files
/// must hold exactly one.
/// </summary>
internal static class NetworkChoice
{
    /// <returns>The chosen report, or null and the message that explains why none was chosen.</returns>
    public static (NetworkReport? Chosen, string? Error) Choose(IReadOnlyList<NetworkReport> reports, string? variant, string? network)
    {
        string names = string.Join(", ", reports.Select(r => r.Name));
        if (reports.Count == 0)
            return (null, "error: the files define no network");
        if (variant is null && network is null)
        {
            return reports.Count == 1
                ? (reports[0], null)
                : (null, $"error: the files define {reports.Count} networks and variants; choose one with --variant NAME or --network NAME: {names}");
        }

        var candidates = network is null ? reports : reports.Where(r => r.NetworkName == network).ToList();
        if (candidates.Count == 0)
        {
            var networks = reports.Select(r => r.NetworkName).Distinct().ToList();
            return (null, $"error: no network named '{network}'{DidYouMean(network!, networks)} The networks are: {string.Join(", ", networks)}");
        }
        var chosen = variant is null
            ? candidates.FirstOrDefault(r => r.VariantName is null)
            : candidates.FirstOrDefault(r => r.Name == variant);
        if (chosen is not null)
            return (chosen, null);

        var choices = candidates.Select(r => r.Name).ToList();
        string what = network is null ? "no network or variant" : $"{network} has no variant";
        return (null, $"error: {what} named '{variant}'{DidYouMean(variant!, choices)} There are: {string.Join(", ", choices)}");
    }

    /// <summary>"; did you mean 'MobileNetV2_050'?" (else ".") for the closest name by edit distance (ignoring case), if it is close enough to be a typo.</summary>
    private static string DidYouMean(string name, IEnumerable<string> candidates)
    {
        int allowed = Math.Max(1, Math.Min(3, name.Length / 3));
        var best = candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is null ? "." : $"; did you mean '{best.Candidate}'?";
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
