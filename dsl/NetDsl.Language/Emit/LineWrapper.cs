using System.Collections.Generic;
using System.Text;

namespace NetDsl.Emit
{
    /// <summary>
    /// Keeps generated lines within <see cref="MaxLength"/> characters. A long code line is broken after an argument's
    /// comma (or before a <c>?</c>, <c>:</c>, <c>||</c>, <c>&amp;&amp;</c> or <c>+</c>), outside string literals, preferring the
    /// outermost call; continuation lines are indented one level deeper. A long <c>///</c> comment is broken at a space.
    /// Only whitespace changes, so the code means the same.
    /// </summary>
    internal static class LineWrapper
    {
        public const int MaxLength = 140;

        private const string Continuation = "    ";

        public static string Wrap(string text)
        {
            var result = new StringBuilder(text.Length + text.Length / 20);
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                foreach (var part in WrapLine(line))
                    result.Append(part).Append('\n');
            }
            // Split leaves an empty last item after the final newline.
            result.Length -= 1;
            return result.ToString();
        }

        private static IEnumerable<string> WrapLine(string line)
        {
            if (line.Length <= MaxLength)
            {
                yield return line;
                yield break;
            }
            var indentation = line.Substring(0, line.Length - line.TrimStart().Length);
            var trimmed = line.TrimStart();
            var isComment = trimmed.StartsWith("//");
            var commentPrefix = isComment ? indentation + trimmed.Substring(0, trimmed.StartsWith("///") ? 4 : 3) : "";
            var rest = line;
            var start = indentation.Length;
            var depth = 0;
            while (rest.Length > MaxLength)
            {
                int at;
                if (isComment)
                {
                    at = CommentBreak(rest, start);
                }
                else
                {
                    (at, depth) = CodeBreak(rest, start, depth);
                }
                if (at <= 0)
                    break;
                yield return rest.Substring(0, at).TrimEnd();
                // A continuation is indented by the bracket depth where the line was broken, at least one level.
                var prefix = isComment ? commentPrefix : indentation + new string(' ', Continuation.Length * System.Math.Max(1, depth));
                rest = prefix + rest.Substring(at).TrimStart();
                start = prefix.Length;
            }
            yield return rest;
        }

        /// <summary>The last space within the limit, after the comment's own prefix.</summary>
        private static int CommentBreak(string line, int start)
        {
            for (var i = MaxLength; i > start; i--)
            {
                if (line[i] == ' ')
                    return i + 1;
            }
            return -1;
        }

        /// <summary>
        /// Where to break a code line: among the break points within the limit, the one at the smallest bracket depth,
        /// the rightmost of those; -1 when there is none.
        /// </summary>
        private static (int At, int Depth) CodeBreak(string line, int start, int depth)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            var bestDepth = depth;
            var inString = false;
            for (var i = start; i < line.Length && i <= MaxLength; i++)
            {
                var c = line[i];
                if (inString)
                {
                    if (c == '\\')
                        i++;
                    else if (c == '"')
                        inString = false;
                    continue;
                }
                var previous = i > 0 ? line[i - 1] : ' ';
                var isGenericOpen = c == '<' && char.IsLetterOrDigit(previous);
                var isGenericClose = c == '>' && previous != ' ' && previous != '=' && previous != '-';
                if (c == '"')
                {
                    inString = true;
                    continue;
                }
                if (c == ')' || c == ']' || c == '}' || isGenericClose)
                {
                    depth--;
                    continue;
                }
                int candidate, rank;
                if (c == '(' || c == '[' || c == '{' || isGenericOpen)
                {
                    // Right after an opening bracket, when its first argument alone is too long for the line.
                    depth++;
                    // Never inside an index, an array type or a tuple type (`shapes[0]`, `new (long, long)[] { ... }`).
                    if (c == '{' || c == '[' || i + 1 >= line.Length || line[i + 1] == ')' || line[i + 1] == '>' || c == '(' && EndsWith(line, i, "new "))
                        continue;
                    candidate = i + 1;
                    rank = (depth - 1) * 3 + 2;
                }
                else if (c == ',' && i + 1 < line.Length && line[i + 1] == ' ')
                {
                    candidate = i + 2;
                    rank = depth * 3;
                }
                else if (c == ' ' && IsOperatorAt(line, i + 1))
                {
                    // An operator binds looser than an argument list at the same depth: commas first.
                    candidate = i + 1;
                    rank = depth * 3 + 1;
                }
                else
                {
                    continue;
                }
                if (candidate <= MaxLength && candidate > start + 8 && rank <= bestRank)
                {
                    best = candidate;
                    bestRank = rank;
                    bestDepth = depth;
                }
            }
            return (best, bestDepth);
        }

        private static bool IsOperatorAt(string line, int i) =>
            Matches(line, i, "? ") || Matches(line, i, ": ") && i > 0 && line[i - 1] == ' ' || Matches(line, i, "|| ") ||
            Matches(line, i, "&& ") || Matches(line, i, "+ ");

        private static bool EndsWith(string line, int i, string token) => i >= token.Length && Matches(line, i - token.Length, token);

        private static bool Matches(string line, int i, string token) =>
            i + token.Length <= line.Length && string.CompareOrdinal(line, i, token, 0, token.Length) == 0;
    }
}
