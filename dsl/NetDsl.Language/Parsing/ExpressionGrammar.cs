using System.Collections.Generic;
using NetDsl.Syntax;
using Sprache;

namespace NetDsl.Parsing
{
    /// <summary>
    /// Expressions by precedence climbing (see the table in docs/language.md). Operator chains are folded in loops,
    /// not by recursion, and every level of nesting goes through the context's depth guard.
    /// </summary>
    internal sealed class ExpressionGrammar
    {
        private static readonly (string Symbol, BinaryOperator Operator)[] EqualityOperators =
            { ("==", BinaryOperator.Equal), ("!=", BinaryOperator.NotEqual) };

        private static readonly (string Symbol, BinaryOperator Operator)[] RelationalOperators =
        {
            ("<=", BinaryOperator.LessOrEqual), (">=", BinaryOperator.GreaterOrEqual),
            ("<", BinaryOperator.Less), (">", BinaryOperator.Greater),
        };

        private static readonly (string Symbol, BinaryOperator Operator)[] AdditiveOperators =
            { ("+", BinaryOperator.Add), ("-", BinaryOperator.Subtract) };

        private readonly Tokens tokens;
        private readonly ParseContext context;
        private readonly Parser<Expression> conditional;
        private readonly Parser<Expression> unary;

        public ExpressionGrammar(Tokens tokens)
        {
            this.tokens = tokens;
            context = tokens.Context;

            unary = ParseUnary;
            var multiplicative = ChainLeft(unary, ParseMultiplicativeOperator);
            var additive = ChainLeft(multiplicative, Operators(AdditiveOperators));
            var relational = ChainLeft(additive, Operators(RelationalOperators));
            var equality = ChainLeft(relational, Operators(EqualityOperators));
            var and = ChainLeft(equality, Operators(new[] { ("&&", BinaryOperator.And) }));
            var or = ChainLeft(and, Operators(new[] { ("||", BinaryOperator.Or) }));
            conditional = Conditional(or);

            Expression = tokens.Expecting(conditional, "an expression");
            ForSource =
                from lower in Expression
                from upper in tokens.OptionalAfter(tokens.Symbol(".."), Expression)
                select upper is null ? lower : new RangeExpression(lower, upper, lower.Span.Cover(upper.Span));
            ShapeDimension = tokens.Expecting<Expression>(input => ParsePrimary(input, allowCollections: false), "a size (a number, a name or a parenthesised expression)");
        }

        public Parser<Expression> Expression { get; }

        /// <summary>The source of a <c>for</c>: an expression or a range <c>a..b</c>.</summary>
        public Parser<Expression> ForSource { get; }

        /// <summary>One dimension of a shape <c>CxHxW</c>: a primary expression.</summary>
        public Parser<Expression> ShapeDimension { get; }

        /// <summary><c>(args)</c> after a call or layer name whose '(' was already consumed.</summary>
        public Parser<EquatableArray<Argument>> ArgumentsAfterOpen(string owner, TextSpan open) =>
            input =>
            {
                // Built only on failure: formatting it for every call would dominate on large files.
                string Closing() => $"')' to close the argument list of {owner} (opened at line {Line(open)})";
                var arguments = new List<Argument>();
                IInput rest = input;
                while (true)
                {
                    int start = tokens.Start(rest);
                    if (start < context.Text.Length && context.Text[start] == ')')
                        return Result.Success(arguments.ToEquatableArray(), context.InputAt(start + 1));
                    var argument = Argument(rest);
                    if (!argument.WasSuccessful)
                    {
                        return argument.Remainder.Position == start
                            ? tokens.FailAt<EquatableArray<Argument>>(start, arguments.Count == 0 ? "an argument or " + Closing() : "an argument")
                            : Result.Failure<EquatableArray<Argument>>(argument.Remainder, argument.Message, argument.Expectations);
                    }
                    arguments.Add(argument.Value);
                    rest = argument.Remainder;
                    int next = tokens.Start(rest);
                    if (next < context.Text.Length && context.Text[next] == ',')
                        rest = context.InputAt(next + 1);
                    else if (next < context.Text.Length && context.Text[next] == ')')
                        return Result.Success(arguments.ToEquatableArray(), context.InputAt(next + 1));
                    else
                        return Result.Failure<EquatableArray<Argument>>(context.InputAt(next), "unexpected text", new[] { "','", Closing() });
                }
            };

        private int Line(TextSpan span) => context.Source.GetLinePosition(span.Start).Line + 1;

        /// <summary><c>name: value</c> or a positional value.</summary>
        private IResult<Argument> Argument(IInput input)
        {
            int start = tokens.Start(input);
            int nameEnd = Lexicon.ScanIdentifier(context.Text, start);
            if (nameEnd > start)
            {
                int colon = context.SkipTrivia(nameEnd);
                if (colon < context.Text.Length && context.Text[colon] == ':')
                {
                    var name = tokens.Name("an argument name")(input);
                    if (!name.WasSuccessful)
                        return Result.Failure<Argument>(name.Remainder, name.Message, name.Expectations);
                    var value = Expression(context.InputAt(colon + 1));
                    return value.WasSuccessful
                        ? Result.Success(new Argument(name.Value, value.Value, name.Value.Span.Cover(value.Value.Span)), value.Remainder)
                        : Result.Failure<Argument>(value.Remainder, value.Message, value.Expectations);
                }
            }
            return Expression.Select(value => new Argument(null, value, value.Span))(input);
        }

        private Parser<Expression> Conditional(Parser<Expression> condition) =>
            input =>
            {
                var head = condition(input);
                if (!head.WasSuccessful)
                    return head;
                int question = tokens.Start(head.Remainder);
                if (question >= context.Text.Length || context.Text[question] != '?')
                    return head;
                context.Enter(question, "this '?:' expression");
                try
                {
                    var whenTrue = Expression(context.InputAt(question + 1));
                    if (!whenTrue.WasSuccessful)
                        return whenTrue;
                    var colon = tokens.Symbol(":", "':' and the value when the condition is false")(whenTrue.Remainder);
                    if (!colon.WasSuccessful)
                        return Result.Failure<Expression>(colon.Remainder, colon.Message, colon.Expectations);
                    var whenFalse = Expression(colon.Remainder);
                    if (!whenFalse.WasSuccessful)
                        return whenFalse;
                    var span = head.Value.Span.Cover(whenFalse.Value.Span);
                    return Result.Success<Expression>(new ConditionalExpression(head.Value, whenTrue.Value, whenFalse.Value, span), whenFalse.Remainder);
                }
                finally
                {
                    context.Exit();
                }
            };

        /// <summary>An operator at this point: its kind and the input after it; a failure means "no operator here".</summary>
        private delegate bool OperatorParser(IInput input, out BinaryOperator op, out int opStart, out IInput rest);

        private OperatorParser Operators((string Symbol, BinaryOperator Operator)[] table) =>
            (IInput input, out BinaryOperator op, out int opStart, out IInput rest) =>
            {
                opStart = tokens.Start(input);
                foreach (var (symbol, kind) in table)
                {
                    if (string.CompareOrdinal(context.Text, opStart, symbol, 0, symbol.Length) == 0)
                    {
                        op = kind;
                        rest = context.InputAt(opStart + symbol.Length);
                        return true;
                    }
                }
                op = default;
                rest = input;
                return false;
            };

        /// <summary>
        /// <c>*</c>, <c>/</c>, <c>%</c> and the keyword <c>div</c> (floor division; <c>//</c> is the line comment).
        /// </summary>
        private bool ParseMultiplicativeOperator(IInput input, out BinaryOperator op, out int opStart, out IInput rest)
        {
            string text = context.Text;
            opStart = tokens.Start(input);
            rest = context.InputAt(opStart + 1);
            char c = opStart < text.Length ? text[opStart] : '\0';
            char next = opStart + 1 < text.Length ? text[opStart + 1] : '\0';
            switch (c)
            {
                case '*':
                    op = BinaryOperator.Multiply;
                    return true;
                case '%':
                    op = BinaryOperator.Modulo;
                    return true;
                case '/' when next != '/' && next != '*':
                    op = BinaryOperator.Divide;
                    return true;
                case 'd' when Lexicon.ScanIdentifier(text, opStart) - opStart == FloorDivisionKeyword.Length
                              && string.CompareOrdinal(text, opStart, FloorDivisionKeyword, 0, FloorDivisionKeyword.Length) == 0:
                    op = BinaryOperator.FloorDivide;
                    rest = context.InputAt(opStart + FloorDivisionKeyword.Length);
                    return true;
                default:
                    op = default;
                    rest = input;
                    return false;
            }
        }

        private const string FloorDivisionKeyword = "div";

        /// <summary>Left-associative chain <c>a op b op c</c>, folded in a loop; a missing right operand is an error.</summary>
        private Parser<Expression> ChainLeft(Parser<Expression> operand, OperatorParser operators) =>
            input =>
            {
                var first = operand(input);
                if (!first.WasSuccessful)
                    return first;
                Expression left = first.Value;
                IInput rest = first.Remainder;
                int chain = 0;
                while (operators(rest, out var op, out int opStart, out var afterOp))
                {
                    context.CheckDepth(++chain, opStart, "this operator chain");
                    var right = operand(afterOp);
                    if (!right.WasSuccessful)
                        return right;
                    left = new BinaryExpression(op, left, right.Value, left.Span.Cover(right.Value.Span));
                    rest = right.Remainder;
                }
                return Result.Success(left, rest);
            };

        /// <summary>Prefix <c>-</c> and <c>!</c> (lower than <c>^</c>: <c>-2^2</c> is <c>-(2^2)</c>).</summary>
        private IResult<Expression> ParseUnary(IInput input)
        {
            List<(UnaryOperator Operator, int Start)>? prefixes = null;
            string text = context.Text;
            IInput rest = input;
            while (true)
            {
                int start = tokens.Start(rest);
                char c = start < text.Length ? text[start] : '\0';
                char next = start + 1 < text.Length ? text[start + 1] : '\0';
                if (c == '-')
                    (prefixes ??= new List<(UnaryOperator, int)>()).Add((UnaryOperator.Negate, start));
                else if (c == '!' && next != '=')
                    (prefixes ??= new List<(UnaryOperator, int)>()).Add((UnaryOperator.Not, start));
                else
                    break;
                context.CheckDepth(prefixes.Count, start, "this unary operator");
                rest = context.InputAt(start + 1);
            }
            var operand = ParsePower(rest);
            if (!operand.WasSuccessful)
                return operand;
            Expression result = operand.Value;
            for (int i = (prefixes?.Count ?? 0) - 1; i >= 0; i--)
                result = new UnaryExpression(prefixes![i].Operator, result, TextSpan.FromBounds(prefixes[i].Start, result.Span.End));
            return Result.Success(result, operand.Remainder);
        }

        /// <summary><c>a ^ b</c>, right-associative; the exponent may carry a sign (<c>2 ^ -1</c>).</summary>
        private IResult<Expression> ParsePower(IInput input)
        {
            var bottom = ParsePostfix(input);
            if (!bottom.WasSuccessful)
                return bottom;
            int caret = tokens.Start(bottom.Remainder);
            if (caret >= context.Text.Length || context.Text[caret] != '^')
                return bottom;
            context.Enter(caret, "this '^' operator");
            try
            {
                var exponent = unary(context.InputAt(caret + 1));
                if (!exponent.WasSuccessful)
                    return exponent;
                var span = bottom.Value.Span.Cover(exponent.Value.Span);
                return Result.Success<Expression>(new BinaryExpression(BinaryOperator.Power, bottom.Value, exponent.Value, span), exponent.Remainder);
            }
            finally
            {
                context.Exit();
            }
        }

        /// <summary>A primary followed by indexing <c>t[0][1]</c> (the '[' directly after).</summary>
        private IResult<Expression> ParsePostfix(IInput input)
        {
            var primary = ParsePrimary(input, allowCollections: true);
            if (!primary.WasSuccessful)
                return primary;
            Expression target = primary.Value;
            IInput rest = primary.Remainder;
            int count = 0;
            while (rest.Position < context.Text.Length && context.Text[rest.Position] == '[')
            {
                var open = new TextSpan(rest.Position, 1);
                context.CheckDepth(++count, open.Start, "this indexing");
                var index = tokens.Nested(Expression, "this '['")(context.InputAt(open.End));
                if (!index.WasSuccessful)
                    return index;
                var close = tokens.Symbol("]", $"']' to close the index opened at line {Line(open)}")(index.Remainder);
                if (!close.WasSuccessful)
                    return Result.Failure<Expression>(close.Remainder, close.Message, close.Expectations);
                target = new IndexExpression(target, index.Value, target.Span.Cover(close.Value));
                rest = close.Remainder;
            }
            return Result.Success(target, rest);
        }

        private IResult<Expression> ParsePrimary(IInput input, bool allowCollections)
        {
            int start = tokens.Start(input);
            string text = context.Text;
            char c = start < text.Length ? text[start] : '\0';
            if (Lexicon.IsDigit(c))
                return tokens.Number.Select(n => (Expression)n)(input);
            if (Lexicon.IsIdentifierStart(c))
                return ParseNameOrCall(input, start);
            if (c == '(')
                return tokens.Nested(ParseParenthesised, "this '('")(context.InputAt(start));
            if (c == '[' && allowCollections)
                return tokens.Nested(ParseList, "this '['")(context.InputAt(start));
            return tokens.FailAt<Expression>(start, "an expression");
        }

        private IResult<Expression> ParseNameOrCall(IInput input, int start)
        {
            int end = Lexicon.ScanIdentifier(context.Text, start);
            string word = context.Text.Substring(start, end - start);
            if (word == "true" || word == "false")
                return Result.Success<Expression>(new BooleanLiteral(word == "true", new TextSpan(start, end - start)), context.InputAt(end));
            var name = tokens.Name("an expression", allowIn: true)(input);
            if (!name.WasSuccessful)
                return Result.Failure<Expression>(name.Remainder, name.Message, name.Expectations);
            if (end >= context.Text.Length || context.Text[end] != '(')
                return Result.Success<Expression>(new NameExpression(name.Value), name.Remainder);
            var open = new TextSpan(end, 1);
            var arguments = tokens.Nested(ArgumentsAfterOpen(name.Value.Text, open), "this '('")(context.InputAt(open.End));
            if (!arguments.WasSuccessful)
                return Result.Failure<Expression>(arguments.Remainder, arguments.Message, arguments.Expectations);
            var span = TextSpan.FromBounds(start, arguments.Remainder.Position);
            return Result.Success<Expression>(new CallExpression(name.Value, arguments.Value, span), arguments.Remainder);
        }

        /// <summary><c>(e)</c> is <c>e</c>; <c>(a, b, ...)</c> is a tuple.</summary>
        private IResult<Expression> ParseParenthesised(IInput input)
        {
            int open = input.Position;
            var items = Items(context.InputAt(open + 1), ')', () => $"')' to close the '(' opened at line {Line(new TextSpan(open, 1))}");
            if (!items.WasSuccessful)
                return Result.Failure<Expression>(items.Remainder, items.Message, items.Expectations);
            var (values, trailingComma) = items.Value;
            var span = TextSpan.FromBounds(open, items.Remainder.Position);
            if (values.Count == 0)
                return tokens.FailAt<Expression>(context.SkipTrivia(open + 1), "an expression");
            return values.Count == 1 && !trailingComma
                ? Result.Success(values[0], items.Remainder)
                : Result.Success<Expression>(new TupleExpression(values.ToEquatableArray(), span), items.Remainder);
        }

        private IResult<Expression> ParseList(IInput input)
        {
            int open = input.Position;
            var items = Items(context.InputAt(open + 1), ']', () => $"']' to close the list opened at line {Line(new TextSpan(open, 1))}");
            if (!items.WasSuccessful)
                return Result.Failure<Expression>(items.Remainder, items.Message, items.Expectations);
            var span = TextSpan.FromBounds(open, items.Remainder.Position);
            return Result.Success<Expression>(new ListExpression(items.Value.Items.ToEquatableArray(), span), items.Remainder);
        }

        /// <summary>Comma-separated expressions up to <paramref name="close"/> (a trailing comma is allowed).</summary>
        private IResult<(List<Expression> Items, bool TrailingComma)> Items(IInput input, char close, System.Func<string> closing)
        {
            var items = new List<Expression>();
            IInput rest = input;
            bool trailingComma = false;
            while (true)
            {
                int start = tokens.Start(rest);
                if (start < context.Text.Length && context.Text[start] == close)
                    return Result.Success((items, trailingComma), context.InputAt(start + 1));
                var item = Expression(rest);
                if (!item.WasSuccessful)
                {
                    var expectations = item.Remainder.Position == start && items.Count == 0 ? new[] { "an expression", closing() } : null;
                    return Result.Failure<(List<Expression>, bool)>(item.Remainder, item.Message, expectations ?? item.Expectations);
                }
                items.Add(item.Value);
                rest = item.Remainder;
                int next = tokens.Start(rest);
                trailingComma = next < context.Text.Length && context.Text[next] == ',';
                if (trailingComma)
                    rest = context.InputAt(next + 1);
                else if (next < context.Text.Length && context.Text[next] == close)
                    return Result.Success((items, false), context.InputAt(next + 1));
                else
                    return Result.Failure<(List<Expression>, bool)>(context.InputAt(next), "unexpected text", new[] { "','", closing() });
            }
        }
    }
}
