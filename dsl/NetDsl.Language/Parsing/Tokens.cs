using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using NetDsl.Diagnostics;
using NetDsl.Syntax;
using Sprache;

namespace NetDsl.Parsing
{
    /// <summary>
    /// Token parsers. Each skips the trivia before its token (so a failure points where the unexpected text starts)
    /// and returns the token's exact span; none consumes trailing trivia, so node spans end at their last token.
    /// </summary>
    internal sealed class Tokens
    {
        private static readonly char[] FloatMarkers = { '.', 'e', 'E' };

        private readonly ParseContext context;

        public Tokens(ParseContext context)
        {
            this.context = context;
            Number = ParseNumber;
        }

        public Parser<NumberLiteral> Number { get; }

        public ParseContext Context => context;

        public static IResult<T> Fail<T>(IInput at, string expectation) =>
            Result.Failure<T>(at, "unexpected text", new[] { expectation });

        public IResult<T> FailAt<T>(int position, string expectation) => Fail<T>(context.InputAt(position), expectation);

        public int Start(IInput input) => context.SkipTrivia(input.Position);

        /// <summary>A punctuation symbol; <paramref name="notFollowedBy"/> keeps '=' from matching the start of '=='.</summary>
        public Parser<TextSpan> Symbol(string symbol, string? expectation = null, string notFollowedBy = "") =>
            input =>
            {
                int start = Start(input);
                string text = context.Text;
                if (string.CompareOrdinal(text, start, symbol, 0, symbol.Length) == 0)
                {
                    int end = start + symbol.Length;
                    if (end >= text.Length || notFollowedBy.IndexOf(text[end]) < 0)
                        return Result.Success(new TextSpan(start, symbol.Length), context.InputAt(end));
                }
                return FailAt<TextSpan>(start, expectation ?? $"'{symbol}'");
            };

        /// <summary>A symbol that must follow the previous token directly, e.g. the '(' of <c>conv(32)</c>.</summary>
        public Parser<TextSpan> Immediate(char symbol) =>
            input =>
            {
                int start = input.Position;
                return start < context.Text.Length && context.Text[start] == symbol
                    ? Result.Success(new TextSpan(start, 1), context.InputAt(start + 1))
                    : FailAt<TextSpan>(start, $"'{symbol}'");
            };

        /// <summary>A keyword, matched as a whole word (<c>in</c> does not match the start of <c>input</c>).</summary>
        public Parser<TextSpan> Keyword(string keyword) =>
            input =>
            {
                int start = Start(input);
                int end = Lexicon.ScanIdentifier(context.Text, start);
                return end - start == keyword.Length && string.CompareOrdinal(context.Text, start, keyword, 0, keyword.Length) == 0
                    ? Result.Success(new TextSpan(start, keyword.Length), context.InputAt(end))
                    : FailAt<TextSpan>(start, $"'{keyword}'");
            };

        /// <summary>The word at the next significant position, without consuming it (null when there is none).</summary>
        public string? PeekWord(IInput input, out int start)
        {
            start = Start(input);
            int end = Lexicon.ScanIdentifier(context.Text, start);
            return end > start ? context.Text.Substring(start, end - start) : null;
        }

        /// <summary>An identifier that is not a keyword; <paramref name="role"/> says what the name is for, in messages.</summary>
        public Parser<Identifier> Name(string role, bool allowIn = false) =>
            input =>
            {
                int start = Start(input);
                int end = Lexicon.ScanIdentifier(context.Text, start);
                if (end == start)
                    return FailAt<Identifier>(start, role);
                string word = context.Text.Substring(start, end - start);
                if (Lexicon.Keywords.Contains(word) && !(allowIn && word == "in"))
                {
                    context.RecordKeywordRejection(start, role);
                    return FailAt<Identifier>(start, role);
                }
                return Result.Success(new Identifier(word, new TextSpan(start, end - start)), context.InputAt(end));
            };

        private IResult<NumberLiteral> ParseNumber(IInput input)
        {
            int start = Start(input);
            int end = Lexicon.ScanNumber(context.Text, start);
            if (end == start)
                return FailAt<NumberLiteral>(start, "a number");
            string text = context.Text.Substring(start, end - start);
            var span = new TextSpan(start, end - start);
            bool isInteger = text.IndexOfAny(FloatMarkers) < 0;
            double value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (isInteger && value > int.MaxValue)
                context.ReportOnce(DiagnosticCatalog.IntegerTooLarge, span, text);
            else if (double.IsInfinity(value))
                context.ReportOnce(DiagnosticCatalog.FloatOutOfRange, span, text);
            return Result.Success(new NumberLiteral(value, isInteger, text, span), context.InputAt(end));
        }

        /// <summary>Runs <paramref name="parser"/> one nesting level deeper (see <see cref="ParseContext.Enter"/>).</summary>
        public Parser<T> Nested<T>(Parser<T> parser, string what) =>
            input =>
            {
                context.Enter(Start(input), what);
                try
                {
                    return parser(input);
                }
                finally
                {
                    context.Exit();
                }
            };

        /// <summary>Like Sprache's Named, but a failure "at the start" means after the leading trivia.</summary>
        public Parser<T> Expecting<T>(Parser<T> parser, string expectation) =>
            input =>
            {
                var result = parser(input);
                if (result.WasSuccessful)
                    return result;
                int start = Start(input);
                return result.Remainder.Position == start ? FailAt<T>(start, expectation) : result;
            };

        /// <summary>When <paramref name="trigger"/> matches, <paramref name="rest"/> must follow; otherwise null and nothing consumed.</summary>
        public Parser<T?> OptionalAfter<T>(Parser<TextSpan> trigger, Parser<T> rest)
            where T : class =>
            input =>
            {
                var triggered = trigger(input);
                if (!triggered.WasSuccessful)
                    return Result.Success<T?>(null, input);
                var result = rest(triggered.Remainder);
                return result.WasSuccessful
                    ? Result.Success<T?>(result.Value, result.Remainder)
                    : Result.Failure<T?>(result.Remainder, result.Message, result.Expectations);
            };

        /// <summary>The value and the offset just after its last token (tokens never consume trailing trivia).</summary>
        public Parser<(T Value, int End)> WithEnd<T>(Parser<T> parser) =>
            input =>
            {
                var result = parser(input);
                return result.WasSuccessful
                    ? Result.Success((result.Value, result.Remainder.Position), result.Remainder)
                    : Result.Failure<(T, int)>(result.Remainder, result.Message, result.Expectations);
            };

        /// <summary>
        /// <c>item, item, ...</c> up to <paramref name="close"/> (whose opening bracket was consumed). Unlike Sprache's
        /// DelimitedBy, a broken item is an error at its own position rather than the end of the list.
        /// </summary>
        public Parser<EquatableArray<T>> DelimitedUntil<T>(Parser<T> item, char close, string closing)
        {
            return input =>
            {
                var items = new List<T>();
                IInput rest = input;
                while (true)
                {
                    int start = Start(rest);
                    if (items.Count == 0 && start < context.Text.Length && context.Text[start] == close)
                        return Result.Success(items.ToEquatableArray(), context.InputAt(start + 1));
                    var parsed = item(rest);
                    if (!parsed.WasSuccessful)
                    {
                        var expectations = items.Count == 0 && parsed.Remainder.Position == start
                            ? parsed.Expectations.Concat(new[] { closing })
                            : parsed.Expectations;
                        return Result.Failure<EquatableArray<T>>(parsed.Remainder, parsed.Message, expectations);
                    }
                    items.Add(parsed.Value);
                    int next = Start(parsed.Remainder);
                    if (next < context.Text.Length && context.Text[next] == ',')
                        rest = context.InputAt(next + 1);
                    else if (next < context.Text.Length && context.Text[next] == close)
                        return Result.Success(items.ToEquatableArray(), context.InputAt(next + 1));
                    else
                        return FailAt<EquatableArray<T>>(next, "',' or " + closing);
                }
            };
        }

        public static Parser<T> Recursive<T>(Func<Parser<T>> reference) => Parse.Ref(reference);
    }
}
