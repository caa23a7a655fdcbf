using System;
using System.Collections.Generic;

namespace NetDsl.Checking
{
    /// <summary>"did you mean" by edit distance.</summary>
    internal static class Suggestions
    {
        /// <summary><c>; did you mean 'conv'?</c>, or empty when no candidate is close.</summary>
        public static string DidYouMean(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            int allowed = name.Length <= 3 ? 1 : Math.Min(3, Math.Max(2, name.Length / 3));
            foreach (var candidate in candidates)
            {
                if (candidate == name)
                    continue;
                int distance = Distance(name, candidate);
                if (distance <= allowed && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(candidate, best) < 0)))
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }
            return best is null ? "" : $"; did you mean '{best}'?";
        }

        /// <summary>Levenshtein distance, case-insensitive for letters that only differ in case (cost 1 otherwise).</summary>
        private static int Distance(string a, string b)
        {
            if (Math.Abs(a.Length - b.Length) > 3 || a.Length > 64 || b.Length > 64)
                return int.MaxValue;
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++)
                previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int substitution = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                    current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + substitution);
                }
                (previous, current) = (current, previous);
            }
            return previous[b.Length];
        }
    }
}
