using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Parsing
{
    /// <summary>Turns a parse failure (a position and what was expected there) into one plain-words diagnostic.</summary>
    internal sealed class SyntaxErrorReporter
    {
        private static readonly string[] TwoCharacterSymbols = { "//", "==", "!=", "<=", ">=", "&&", "||", "..", "/*", "*/" };

        private readonly ParseContext context;

        public SyntaxErrorReporter(ParseContext context) => this.context = context;

        public void ReportFailure(int position, IEnumerable<string> expectations)
        {
            string text = context.Text;
            string expected = JoinAlternatives(expectations.Distinct().ToList());
            if (position >= text.Length)
            {
                // The unterminated comment already explains why the file ended too early.
                if (!context.SawUnterminatedComment)
                    context.ReportOnce(DiagnosticCatalog.UnexpectedText, new TextSpan(text.Length, 0), expected, "the end of the file");
                return;
            }

            char c = text[position];
            if (!Lexicon.IsLanguageCharacter(c))
            {
                context.ReportOnce(DiagnosticCatalog.UnexpectedCharacter, new TextSpan(position, char.IsHighSurrogate(c) ? 2 : 1), Printable(text, position), (int)c, expected);
                return;
            }

            var found = FoundToken(position);
            if (context.TryGetKeywordRejection(position, out string role))
            {
                context.ReportOnce(DiagnosticCatalog.KeywordAsName, found, text.Substring(found.Start, found.Length), role);
                return;
            }
            if (c == '(' && IsLayerNameBefore(position, out string layer))
            {
                context.ReportOnce(DiagnosticCatalog.SpaceBeforeArguments, new TextSpan(position, 1), layer);
                return;
            }
            context.ReportOnce(DiagnosticCatalog.UnexpectedText, found, expected, Describe(found));
        }

        public void ReportNestingTooDeep(NestingTooDeepException deep)
        {
            var span = FoundToken(deep.Position);
            context.ReportOnce(DiagnosticCatalog.NestingTooDeep, span, deep.What, ParseContext.MaxNestingDepth);
        }

        private static string JoinAlternatives(IReadOnlyList<string> alternatives) =>
            alternatives.Count switch
            {
                0 => "something else",
                1 => alternatives[0],
                _ => string.Join(", ", alternatives.Take(alternatives.Count - 1)) + " or " + alternatives[alternatives.Count - 1],
            };

        private TextSpan FoundToken(int position)
        {
            string text = context.Text;
            if (position >= text.Length)
                return new TextSpan(text.Length, 0);
            int end = Lexicon.IsIdentifierStart(text[position]) ? Lexicon.ScanIdentifier(text, position)
                : Lexicon.IsDigit(text[position]) ? Lexicon.ScanNumber(text, position)
                : position;
            if (end > position)
                return TextSpan.FromBounds(position, end);
            foreach (string symbol in TwoCharacterSymbols)
            {
                if (string.CompareOrdinal(text, position, symbol, 0, 2) == 0)
                    return new TextSpan(position, 2);
            }
            return new TextSpan(position, 1);
        }

        private string Describe(TextSpan found)
        {
            string token = context.Text.Substring(found.Start, found.Length);
            return Lexicon.Keywords.Contains(token) ? $"keyword '{token}'" : $"'{token}'";
        }

        /// <summary>True for <c>conv (32)</c>: a name, then blanks, then the '(' that failed.</summary>
        private bool IsLayerNameBefore(int position, out string name)
        {
            string text = context.Text;
            int end = position;
            while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t'))
                end--;
            int start = end;
            while (start > 0 && Lexicon.IsIdentifierPart(text[start - 1]))
                start--;
            name = text.Substring(start, end - start);
            return end < position && end > start && Lexicon.IsIdentifierStart(text[start]) && !Lexicon.Keywords.Contains(name);
        }

        private static string Printable(string text, int position) =>
            char.IsHighSurrogate(text[position]) && position + 1 < text.Length ? text.Substring(position, 2) : text[position].ToString();
    }
}
