using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetDsl.Diagnostics;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Formatting
{
    /// <summary>
    /// The result of formatting one file: the canonical text, or null when the file has syntax errors
    /// (<see cref="SyntaxErrors"/>), since text that does not parse has no meaning to keep.
    /// </summary>
    public sealed record FormatResult(string? Text, EquatableArray<Diagnostic> SyntaxErrors)
    {
        public bool Succeeded => Text is not null;
    }

    /// <summary>
    /// The canonical layout of <c>.nn</c> files, shared by <c>netdsl format</c> and the language server.
    /// Only whitespace changes, and never the line structure: each line is re-indented by four spaces per
    /// open brace (one more level inside brackets opened on an earlier line, or after a line that ends in an
    /// operator), and the spaces between the tokens of a line follow fixed rules (one space around binary
    /// operators, after commas and colons, none inside brackets). Comments are kept as written; the gap
    /// before a trailing comment and a run of spaces after a comma are kept, so that aligned comments and the
    /// columns of a table stay aligned. Where the language depends on
    /// two tokens touching (<c>conv(</c>, <c>3x224x224</c>) or being apart, that is kept too, so the meaning
    /// never changes. Formatting its own output returns it unchanged.
    /// </summary>
    public static class Formatter
    {
        private const string Indent = "    ";

        private static readonly HashSet<string> BinaryOperators = new HashSet<string>
        {
            "+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "=", "?",
        };

        /// <summary>Words after which a '-' is a sign, not a subtraction.</summary>
        private static readonly HashSet<string> WordsBeforeOperand = new HashSet<string>
        {
            "in", "when", "if", "repeat", "dense", "div",
        };

        public static FormatResult Format(SourceText source)
        {
            if (source is null)
                throw new ArgumentNullException(nameof(source));
            var parsed = Parser.Parse(source);
            if (parsed.Diagnostics.Any(d => d.IsError))
                return new FormatResult(null, parsed.Diagnostics);
            return new FormatResult(FormatText(source.Text), EquatableArray<Diagnostic>.Empty);
        }

        /// <summary>Formats text that parses; exposed for tests, <see cref="Format"/> is the entry point.</summary>
        internal static string FormatText(string text)
        {
            string newline = text.Contains("\r\n") ? "\r\n" : "\n";
            var lines = SplitLines(text);
            var tokens = Tokenize(text);
            var output = new StringBuilder(text.Length + 64);
            var open = new List<(char Bracket, int Line)>();
            var questionMarks = new List<int> { 0 };
            Token? previous = null;
            int tokenIndex = 0;
            bool blankPending = false;
            bool continuation = false;
            bool wroteLine = false;

            for (int line = 0; line < lines.Count; line++)
            {
                var (start, end) = lines[line];
                var lineTokens = new List<Token>();
                while (tokenIndex < tokens.Count && tokens[tokenIndex].Start < end)
                    lineTokens.Add(tokens[tokenIndex++]);
                if (lineTokens.Count == 0)
                {
                    blankPending = wroteLine;
                    continue;
                }
                if (blankPending)
                    output.Append(newline);
                blankPending = false;

                // Closers at the start of the line belong to the outer level.
                int depthLines = IndentLevels(open, lineTokens);
                int level = depthLines + (continuation && lineTokens[0].Kind != TokenKind.Comment ? 1 : 0);
                for (int i = 0; i < level; i++)
                    output.Append(Indent);

                Token? before = null;
                foreach (var token in lineTokens)
                {
                    if (before is not null)
                        output.Append(Gap(text, before, token, previous, questionMarks));
                    output.Append(text, token.Start, token.End - token.Start);
                    if (token.Kind != TokenKind.Comment)
                        previous = Track(token, open, questionMarks, line, previous);
                    before = token;
                }
                // A block comment running over several lines: its first line is written above, the rest (up to the end
                // of the line where it closes) is kept exactly as written.
                var last = lineTokens[lineTokens.Count - 1];
                if (last.Kind == TokenKind.Comment && last.End > end)
                {
                    int lastLine = line;
                    while (lastLine + 1 < lines.Count && lines[lastLine + 1].Start < last.End)
                        lastLine++;
                    int after = lines[lastLine].End;
                    output.Append(text, last.End, after - last.End);
                    output.Append(newline);
                    while (tokenIndex < tokens.Count && tokens[tokenIndex].Start < after)
                    {
                        var token = tokens[tokenIndex++];
                        if (token.Kind != TokenKind.Comment)
                            previous = Track(token, open, questionMarks, lastLine, previous);
                    }
                    line = lastLine;
                    wroteLine = true;
                    continuation = false;
                    continue;
                }
                output.Append(newline);
                wroteLine = true;
                var lastCode = lineTokens.LastOrDefault(t => t.Kind != TokenKind.Comment);
                continuation = lastCode is not null && EndsIncomplete(lastCode, open, line);
            }
            return output.ToString();
        }

        /// <summary>True when a line ends in an operator (or '=', '?', ':' of a conditional) outside brackets opened on it.</summary>
        private static bool EndsIncomplete(Token last, List<(char Bracket, int Line)> open, int line)
        {
            if (open.Count > 0 && open[open.Count - 1].Line == line)
                return false;
            return last.Kind == TokenKind.Operator && (BinaryOperators.Contains(last.Text) || last.Text == "..");
        }

        private static int IndentLevels(List<(char Bracket, int Line)> open, List<Token> lineTokens)
        {
            int closers = 0;
            foreach (var token in lineTokens)
            {
                if (token.Kind == TokenKind.Close)
                    closers++;
                else
                    break;
            }
            int remaining = Math.Max(0, open.Count - closers);
            int levels = 0;
            int lastLine = -1;
            for (int i = 0; i < remaining; i++)
            {
                // Braces always indent; brackets opened on the same line as the bracket before them add one level only.
                if (open[i].Bracket == '{' || open[i].Line != lastLine)
                    levels++;
                lastLine = open[i].Line;
            }
            return levels;
        }

        /// <summary>Keeps the bracket stack and the pending '?' counts (to tell a conditional's ':' from a named argument's).</summary>
        private static Token Track(Token token, List<(char, int)> open, List<int> questionMarks, int line, Token? previous)
        {
            switch (token.Kind)
            {
                case TokenKind.Open:
                    open.Add((token.Text[0], line));
                    questionMarks.Add(0);
                    break;
                case TokenKind.Close:
                    if (open.Count > 0)
                        open.RemoveAt(open.Count - 1);
                    if (questionMarks.Count > 1)
                        questionMarks.RemoveAt(questionMarks.Count - 1);
                    break;
                case TokenKind.Operator when token.Text == "?":
                    questionMarks[questionMarks.Count - 1]++;
                    break;
                case TokenKind.Operator when token.Text == ":" && questionMarks[questionMarks.Count - 1] > 0:
                    questionMarks[questionMarks.Count - 1]--;
                    token.IsConditionalColon = true;
                    break;
                case TokenKind.Operator when token.Text == "-" || token.Text == "!":
                    token.IsPrefix = token.Text == "!" || (token.Text != "->" && IsOperandPosition(previous));
                    break;
            }
            return token;
        }

        private static bool IsOperandPosition(Token? previous) =>
            previous is null
            || previous.Kind == TokenKind.Open
            || previous.Kind == TokenKind.Comma
            || (previous.Kind == TokenKind.Operator && previous.Text != "..")
            || (previous.Kind == TokenKind.Word && WordsBeforeOperand.Contains(previous.Text))
            || previous.Text == "..";

        /// <summary>The whitespace between two tokens of a line.</summary>
        private static string Gap(string text, Token left, Token right, Token? previousCode, List<int> questionMarks)
        {
            string original = text.Substring(left.End, right.Start - left.End);
            bool touching = original.Length == 0;
            if (right.Kind == TokenKind.Comment || left.Kind == TokenKind.Comment)
                return touching ? "" : right.Kind == TokenKind.Comment && right.Text.StartsWith("//", StringComparison.Ordinal) ? Spaces(original) : " ";
            if (right.Kind == TokenKind.Other || left.Kind == TokenKind.Other)
                return original;

            // Pairs whose touching matters to the parser keep it: a call's '(' or an index's '[' after a name,
            // and the parts of a shape (3x224x224).
            bool wordLike(Token t) => t.Kind == TokenKind.Word || t.Kind == TokenKind.Number;
            if (wordLike(left) && wordLike(right))
                return touching ? "" : " ";
            if (right.Kind == TokenKind.Open && right.Text != "{" && (wordLike(left) || left.Kind == TokenKind.Close))
                return touching ? "" : " ";
            if (right.Text == "{")
                return " ";
            if (left.Text == "{")
                return " ";
            if (right.Text == "}")
                return " ";
            if (left.Kind == TokenKind.Open)
                return "";
            if (right.Kind == TokenKind.Close || right.Kind == TokenKind.Comma)
                return "";
            if (left.Kind == TokenKind.Comma)
                return original.Length > 1 && original.All(c => c == ' ') ? original : " ";
            if (left.Text == ".." || right.Text == "..")
                return "";
            if (right.Text == ":")
                return right.IsConditionalColon || WillBeConditionalColon(questionMarks) ? " " : "";
            if (left.Text == ":")
                return " ";
            if (left.Kind == TokenKind.Operator && left.IsPrefix)
                return "";
            if (right.Kind == TokenKind.Operator && (right.Text == "-" || right.Text == "!"))
                return IsOperandPosition(left) ? (left.Kind == TokenKind.Open ? "" : " ") : " ";
            if (right.Kind == TokenKind.Operator || left.Kind == TokenKind.Operator)
                return " ";
            return " ";
        }

        /// <summary>The ':' about to be tracked closes a conditional when a '?' is pending at this bracket level.</summary>
        private static bool WillBeConditionalColon(List<int> questionMarks) => questionMarks[questionMarks.Count - 1] > 0;

        /// <summary>The gap before a trailing comment: as written (tabs become a space each), at least one space.</summary>
        private static string Spaces(string original)
        {
            int width = original.Count(c => c == ' ' || c == '\t');
            return new string(' ', Math.Max(1, width));
        }

        private static List<(int Start, int End)> SplitLines(string text)
        {
            var lines = new List<(int, int)>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\n' || c == '\r')
                {
                    lines.Add((start, i));
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                        i++;
                    start = i + 1;
                }
            }
            if (start < text.Length)
                lines.Add((start, text.Length));
            return lines;
        }

        private enum TokenKind
        {
            Word,
            Number,
            Open,
            Close,
            Comma,
            Operator,
            Comment,
            Other,
        }

        private sealed class Token
        {
            public Token(TokenKind kind, int start, int end, string text)
            {
                Kind = kind;
                Start = start;
                End = end;
                Text = text;
            }

            public TokenKind Kind { get; }

            public int Start { get; }

            public int End { get; }

            public string Text { get; }

            /// <summary>A '-' or '!' that is a sign (no space after it).</summary>
            public bool IsPrefix { get; set; }

            /// <summary>The ':' of <c>a ? b : c</c> (spaced), not of a named argument or label (<c>k: 3</c>).</summary>
            public bool IsConditionalColon { get; set; }
        }

        private static readonly string[] TwoCharacterOperators = { "->", "==", "!=", "<=", ">=", "&&", "||", ".." };

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }
                int start = i;
                TokenKind kind;
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    while (i < text.Length && text[i] != '\n' && text[i] != '\r')
                        i++;
                    kind = TokenKind.Comment;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? text.Length : close + 2;
                    kind = TokenKind.Comment;
                }
                else if (Lexicon.IsIdentifierStart(c))
                {
                    i = Lexicon.ScanIdentifier(text, i);
                    kind = TokenKind.Word;
                }
                else if (Lexicon.IsDigit(c))
                {
                    i = Lexicon.ScanNumber(text, i);
                    kind = TokenKind.Number;
                }
                else if (c == '(' || c == '[' || c == '{')
                {
                    i++;
                    kind = TokenKind.Open;
                }
                else if (c == ')' || c == ']' || c == '}')
                {
                    i++;
                    kind = TokenKind.Close;
                }
                else if (c == ',')
                {
                    i++;
                    kind = TokenKind.Comma;
                }
                else if (i + 1 < text.Length && Array.IndexOf(TwoCharacterOperators, text.Substring(i, 2)) >= 0)
                {
                    i += 2;
                    kind = TokenKind.Operator;
                }
                else if ("+-*/%^<>=!?:".IndexOf(c) >= 0)
                {
                    i++;
                    kind = TokenKind.Operator;
                }
                else
                {
                    i++;
                    kind = TokenKind.Other;
                }
                tokens.Add(new Token(kind, start, i, text.Substring(start, i - start)));
            }
            return tokens;
        }
    }
}
