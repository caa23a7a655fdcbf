using System.Collections.Generic;

namespace NetDsl.Parsing
{
    /// <summary>The words and characters of the language.</summary>
    internal static class Lexicon
    {
        public static readonly HashSet<string> Keywords = new HashSet<string>
        {
            "network", "block", "variant", "input", "let", "for", "in", "repeat", "as", "if", "else", "parallel",
            "path", "split", "residual", "when", "dense", "concat", "add", "true", "false", "int", "float", "bool", "div",
        };

        /// <summary>
        /// Words that start a feature map statement (<c>from p3</c>, <c>fuse(a, b)</c>, ...) but stay free as names elsewhere,
        /// so a parameter called <c>from</c> or a let called <c>outputs</c> keeps working.
        /// </summary>
        public static readonly HashSet<string> StatementWords = new HashSet<string> { "from", "fuse", "resize", "inputs", "outputs" };

        public static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

        public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);

        public static bool IsDigit(char c) => c >= '0' && c <= '9';

        /// <summary>Characters that can appear outside comments; anything else is a stray character (NN0002).</summary>
        public static bool IsLanguageCharacter(char c) =>
            IsIdentifierPart(c) || char.IsWhiteSpace(c) || "(){}[],:?=!<>+-*/%^.&|".IndexOf(c) >= 0;

        public static int ScanIdentifier(string text, int start)
        {
            if (start >= text.Length || !IsIdentifierStart(text[start]))
                return start;
            int end = start + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
                end++;
            return end;
        }

        /// <summary>The end of the number starting at <paramref name="start"/>: digits, an optional fraction, an optional exponent.</summary>
        public static int ScanNumber(string text, int start)
        {
            int end = start;
            while (end < text.Length && IsDigit(text[end]))
                end++;
            if (end == start)
                return start;
            // "1..5" is a range, not "1." followed by ".5": a fraction needs a digit after the dot.
            if (end + 1 < text.Length && text[end] == '.' && IsDigit(text[end + 1]))
            {
                end += 2;
                while (end < text.Length && IsDigit(text[end]))
                    end++;
            }
            if (end < text.Length && (text[end] == 'e' || text[end] == 'E'))
            {
                int exponent = end + 1;
                if (exponent < text.Length && (text[exponent] == '+' || text[exponent] == '-'))
                    exponent++;
                if (exponent < text.Length && IsDigit(text[exponent]))
                {
                    end = exponent;
                    while (end < text.Length && IsDigit(text[end]))
                        end++;
                }
            }
            return end;
        }
    }
}
