using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Parsing
{
    /// <summary>
    /// Parses a <c>.nn</c> file. A declaration with a syntax error yields one diagnostic at the point of failure and
    /// is dropped; parsing resumes at the next line starting with <c>network</c>, <c>block</c> or <c>variant</c>.
    /// </summary>
    public static class Parser
    {
        private static readonly string[] DeclarationKeywords = { "network", "block", "variant" };

        public static ParseResult Parse(SourceText source)
        {
            if (source is null)
                throw new ArgumentNullException(nameof(source));
            var context = new ParseContext(source);
            var tokens = new Tokens(context);
            var expressions = new ExpressionGrammar(tokens);
            var statements = new StatementGrammar(tokens, expressions);
            var declarations = new DeclarationGrammar(tokens, expressions, statements);
            var reporter = new SyntaxErrorReporter(context);

            var parsed = new List<Declaration>();
            int position = context.SkipTrivia(0);
            while (position < context.Text.Length)
            {
                int resumeAfter = position;
                try
                {
                    context.Depth = 0;
                    var result = declarations.Declaration(context.InputAt(position));
                    if (result.WasSuccessful)
                    {
                        parsed.Add(result.Value);
                        position = context.SkipTrivia(result.Remainder.Position);
                        continue;
                    }
                    reporter.ReportFailure(result.Remainder.Position, result.Expectations);
                    resumeAfter = Math.Max(position, result.Remainder.Position);
                }
                catch (NestingTooDeepException deep)
                {
                    reporter.ReportNestingTooDeep(deep);
                    resumeAfter = Math.Max(position, deep.Position);
                }
                catch (Exception unexpected)
                {
                    // Last resort: a bug in the parser must not crash the compiler; the file's other declarations still parse.
                    context.ReportOnce(DiagnosticCatalog.InternalParserError, new TextSpan(position, 0), unexpected.GetType().Name + ": " + unexpected.Message);
                }
                position = NextDeclarationStart(context, position, resumeAfter);
            }

            var diagnostics = context.Diagnostics.OrderBy(d => d.Location.Span.Start).ToEquatableArray();
            return new ParseResult(new SyntaxTree(source, parsed.ToEquatableArray()), diagnostics);
        }

        /// <summary>
        /// The first line after <paramref name="declarationStart"/> that starts with a declaration keyword, preferring the
        /// failure's own line when the failure sits on such a line (a missing '}' before the next declaration).
        /// </summary>
        private static int NextDeclarationStart(ParseContext context, int declarationStart, int failure)
        {
            string text = context.Text;
            var source = context.Source;
            int failureLine = source.GetLinePosition(failure).Line;
            int declarationLine = source.GetLinePosition(declarationStart).Line;
            int line = failureLine > declarationLine ? failureLine : declarationLine + 1;
            for (; line < source.LineCount; line++)
            {
                int lineStart = source.GetOffset(new LinePosition(line, 0));
                int wordStart = context.SkipBlanks(lineStart);
                int wordEnd = Lexicon.ScanIdentifier(text, wordStart);
                if (wordEnd > wordStart && Array.IndexOf(DeclarationKeywords, text.Substring(wordStart, wordEnd - wordStart)) >= 0)
                    return wordStart;
            }
            return text.Length;
        }
    }
}
