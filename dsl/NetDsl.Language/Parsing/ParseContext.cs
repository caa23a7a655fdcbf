using System;
using System.Collections.Generic;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Parsing
{
    /// <summary>The state of one parse: the text, trivia skipping, the nesting guard and the diagnostics found so far.</summary>
    internal sealed class ParseContext
    {
        public const int MaxNestingDepth = 64;

        private readonly HashSet<(string Code, int Start)> reported = new HashSet<(string, int)>();
        private readonly Dictionary<int, string> keywordRejections = new Dictionary<int, string>();

        public ParseContext(SourceText source)
        {
            Source = source;
            Text = source.Text;
        }

        public SourceText Source { get; }

        public string Text { get; }

        public List<Diagnostic> Diagnostics { get; } = new List<Diagnostic>();

        /// <summary>Current nesting of braces, brackets and operators; reset for every declaration.</summary>
        public int Depth { get; set; }

        /// <summary>True once an unterminated block comment was seen (a later "found end of file" is its consequence).</summary>
        public bool SawUnterminatedComment { get; private set; }

        public SourceInput InputAt(int position) => new SourceInput(Source, position);

        /// <summary>Skips whitespace, <c>// line</c> and <c>/* block */</c> comments; returns the first significant offset.</summary>
        public int SkipTrivia(int position)
        {
            string text = Text;
            while (position < text.Length)
            {
                char c = text[position];
                if (char.IsWhiteSpace(c))
                {
                    position++;
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '/')
                {
                    while (position < text.Length && text[position] != '\n' && text[position] != '\r')
                        position++;
                }
                else if (c == '/' && position + 1 < text.Length && text[position + 1] == '*')
                {
                    int close = text.IndexOf("*/", position + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        SawUnterminatedComment = true;
                        ReportOnce(DiagnosticCatalog.UnterminatedComment, new TextSpan(position, 2));
                        return text.Length;
                    }
                    position = close + 2;
                }
                else
                {
                    break;
                }
            }
            return position;
        }

        /// <summary>Skips spaces and tabs only: used where a line break or a comment must end what comes before.</summary>
        public int SkipBlanks(int position)
        {
            while (position < Text.Length && (Text[position] == ' ' || Text[position] == '\t'))
                position++;
            return position;
        }

        public void ReportOnce(DiagnosticDescriptor descriptor, TextSpan span, params object[] arguments)
        {
            if (reported.Add((descriptor.Code, span.Start)))
                Diagnostics.Add(new Diagnostic(descriptor, descriptor.Format(arguments), SourceLocation.From(Source, span)));
        }

        /// <summary>Remembers that a keyword stood where a name of the given role was expected, for a precise diagnostic.</summary>
        public void RecordKeywordRejection(int position, string role)
        {
            if (!keywordRejections.ContainsKey(position))
                keywordRejections[position] = role;
        }

        public bool TryGetKeywordRejection(int position, out string role) => keywordRejections.TryGetValue(position, out role!);

        /// <summary>Enters one nesting level; throws before the limit is crossed so that deep input never recurses further.</summary>
        public void Enter(int position, string what)
        {
            if (Depth >= MaxNestingDepth)
                throw new NestingTooDeepException(position, what);
            Depth++;
        }

        public void Exit() => Depth--;

        /// <summary>Checks that <paramref name="extraLevels"/> more levels (an operator chain) stay within the limit.</summary>
        public void CheckDepth(int extraLevels, int position, string what)
        {
            if (Depth + extraLevels > MaxNestingDepth)
                throw new NestingTooDeepException(position, what);
        }
    }

    /// <summary>Thrown by the nesting guard; caught per declaration and turned into NN0007.</summary>
    internal sealed class NestingTooDeepException : Exception
    {
        public NestingTooDeepException(int position, string what)
            : base($"{what} is nested too deeply")
        {
            Position = position;
            What = what;
        }

        public int Position { get; }

        public string What { get; }
    }
}
