namespace NetDsl.Examples.Zoo;

/// <summary>Names close to a mistyped one: by edit distance (ignoring case), or containing it.</summary>
public static class NameSuggestions
{
    /// <returns>Up to <paramref name="limit"/> names, closest first.</returns>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int limit = 3)
    {
        var typed = name.ToLowerInvariant();
        // A typo is a few edits: a third of the name, at least one and at most three.
        var allowed = Math.Clamp(typed.Length / 3, 1, 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: Distance(typed, candidate.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed || (typed.Length >= 3 && c.Candidate.Contains(name, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Take(limit)
            .Select(c => c.Candidate)
            .ToList();
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
