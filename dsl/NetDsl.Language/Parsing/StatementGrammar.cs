using System.Collections.Generic;
using System.Linq;
using NetDsl.Syntax;
using Sprache;

namespace NetDsl.Parsing
{
    /// <summary>Statements and bodies. A statement is chosen by its first word, so no alternative is tried in vain.</summary>
    internal sealed class StatementGrammar
    {
        public const string StatementExpectation =
            "a statement (a layer such as conv(32), a block, let, for, repeat, if, parallel, split, residual, dense, input, -> name, from, add, concat, fuse, resize, inputs or outputs)";

        private readonly Tokens tokens;
        private readonly ExpressionGrammar expressions;
        private readonly ParseContext context;
        private readonly Dictionary<string, Parser<Statement>> byKeyword;
        private readonly Parser<Identifier?> asLabel;
        private readonly Parser<TextSpan> openArguments;
        private readonly Parser<Identifier> layerName;

        public StatementGrammar(Tokens tokens, ExpressionGrammar expressions)
        {
            this.tokens = tokens;
            this.expressions = expressions;
            context = tokens.Context;
            asLabel = tokens.OptionalAfter(tokens.Keyword("as"), tokens.Name("a name after 'as'"))!;
            Shape = ParseShape;
            openArguments = tokens.Immediate('(');
            layerName = tokens.Name("a layer or block name");

            byKeyword = new Dictionary<string, Parser<Statement>>
            {
                ["input"] = from keyword in tokens.Keyword("input")
                            from shape in Shape
                            select (Statement)new InputStatement(shape, keyword.Cover(shape.Span)),
                ["let"] = Let(),
                ["repeat"] = Counted("repeat", (count, index, body, span) => new RepeatStatement(count, index, body, span)),
                ["dense"] = Counted("dense", (count, index, body, span) => new DenseStatement(count, index, body, span)),
                ["for"] = For(),
                ["if"] = Tokens.Recursive(If),
                ["parallel"] = from keyword in tokens.Keyword("parallel")
                               from merge in Merge()
                               from body in Body("the paths of parallel")
                               select (Statement)new ParallelStatement(merge, body, keyword.Cover(body.Span)),
                ["split"] = from keyword in tokens.Keyword("split")
                            from body in Body("the paths of split")
                            select (Statement)new SplitStatement(body, keyword.Cover(body.Span)),
                ["path"] = from keyword in tokens.Keyword("path")
                           from label in tokens.OptionalAfter(PeekName(), tokens.Name("a label for the path"))
                           from body in Body("the body of path")
                           select (Statement)new PathStatement(label, body, keyword.Cover(body.Span)),
                ["residual"] = Residual(),
                ["from"] = from keyword in tokens.Keyword("from")
                           from names in NameList("the name of a feature map after 'from'")
                           select (Statement)new FromStatement(names, keyword.Cover(names.Last().Span)),
                ["inputs"] = from keyword in tokens.Keyword("inputs")
                             from names in NameList("a name for each input feature map after 'inputs'")
                             select (Statement)new InputsStatement(names, keyword.Cover(names.Last().Span)),
                ["outputs"] = from keyword in tokens.Keyword("outputs")
                              from names in NameList("the name of a feature map after 'outputs'")
                              select (Statement)new OutputsStatement(names, keyword.Cover(names.Last().Span)),
                ["add"] = MergeFeatures("add", FeatureMergeKind.Add),
                ["concat"] = MergeFeatures("concat", FeatureMergeKind.Concat),
                ["fuse"] = MergeFeatures("fuse", FeatureMergeKind.Fuse),
                ["resize"] = Resize(),
            };
            Statement = ParseStatement;
        }

        public Parser<Statement> Statement { get; }

        public Parser<ShapeSyntax> Shape { get; }

        /// <summary><c>{ statements }</c>; <paramref name="owner"/> names it in messages ("the body of repeat").</summary>
        public Parser<Body> Body(string owner) =>
            input =>
            {
                var open = tokens.Symbol("{", $"'{{' to open {owner}")(input);
                if (!open.WasSuccessful)
                    return Result.Failure<Body>(open.Remainder, open.Message, open.Expectations);
                return tokens.Nested<Body>(rest => StatementsUntilClose(rest, open.Value, owner), "this '{'")(open.Remainder);
            };

        private IResult<Body> StatementsUntilClose(IInput input, TextSpan open, string owner)
        {
            int openLine = context.Source.GetLinePosition(open.Start).Line + 1;
            string closing = $"'}}' to close {owner} (opened at line {openLine})";
            var statements = new List<Statement>();
            IInput rest = input;
            while (true)
            {
                int start = tokens.Start(rest);
                if (start >= context.Text.Length)
                    return tokens.FailAt<Body>(start, closing);
                if (context.Text[start] == '}')
                    return Result.Success(new Body(statements.ToEquatableArray(), TextSpan.FromBounds(open.Start, start + 1)), context.InputAt(start + 1));
                var statement = Statement(rest);
                if (!statement.WasSuccessful)
                {
                    return statement.Remainder.Position == start
                        ? Result.Failure<Body>(statement.Remainder, statement.Message, new[] { StatementExpectation, closing })
                        : Result.Failure<Body>(statement.Remainder, statement.Message, statement.Expectations);
                }
                statements.Add(statement.Value);
                rest = statement.Remainder;
            }
        }

        private IResult<Statement> ParseStatement(IInput input)
        {
            if (PeekArrow(input) is { } arrow)
                return NameFeatures(input, arrow);
            string? word = tokens.PeekWord(input, out int start);
            if (word is null)
                return tokens.FailAt<Statement>(start, StatementExpectation);
            if (byKeyword.TryGetValue(word, out var keywordStatement))
                return keywordStatement(input);
            if (Lexicon.Keywords.Contains(word))
                return tokens.FailAt<Statement>(start, StatementExpectation);
            int afterName = start + word.Length;
            int next = context.SkipTrivia(afterName);
            return next < context.Text.Length && context.Text[next] == ':' ? Group(input) : Layer(input);
        }

        /// <summary><c>label: { ... }</c></summary>
        private IResult<Statement> Group(IInput input) =>
            (from label in tokens.Name("a label")
             from colon in tokens.Symbol(":")
             from body in Body($"the group {label.Text}")
             select (Statement)new GroupStatement(label, body, label.Span.Cover(body.Span)))(input);

        /// <summary><c>conv(32, k: 3) as stem</c>: the '(' must follow the name directly.</summary>
        private IResult<Statement> Layer(IInput input)
        {
            var name = layerName(input);
            if (!name.WasSuccessful)
                return Result.Failure<Statement>(name.Remainder, name.Message, name.Expectations);
            EquatableArray<Argument>? arguments = null;
            IInput rest = name.Remainder;
            var open = openArguments(rest);
            if (open.WasSuccessful)
            {
                var parsed = expressions.ArgumentsAfterOpen(name.Value.Text, open.Value)(open.Remainder);
                if (!parsed.WasSuccessful)
                    return Result.Failure<Statement>(parsed.Remainder, parsed.Message, parsed.Expectations);
                arguments = parsed.Value;
                rest = parsed.Remainder;
            }
            int end = rest.Position;
            var label = asLabel(rest);
            if (!label.WasSuccessful)
                return Result.Failure<Statement>(label.Remainder, label.Message, label.Expectations);
            if (label.Value is not null)
                end = label.Value.Span.End;
            var statement = new LayerStatement(name.Value, arguments, label.Value, TextSpan.FromBounds(name.Value.Span.Start, end));
            return Result.Success<Statement>(statement, label.Remainder);
        }

        private Parser<Statement> Let()
        {
            var parameters =
                from open in tokens.Symbol("(")
                from names in tokens.DelimitedUntil(tokens.Name("a parameter name"), ')', "')' to close the parameter list")
                select names;
            return from keyword in tokens.Keyword("let")
                   from name in tokens.Name("a name after 'let'")
                   from functionParameters in tokens.OptionalAfter(PeekSymbol('('), parameters.Select(p => new Boxed<EquatableArray<Identifier>>(p)))
                   from equalsSign in tokens.Symbol("=", "'=' and a value", notFollowedBy: "=")
                   from value in expressions.Expression
                   select functionParameters is null
                       ? (Statement)new LetStatement(name, value, keyword.Cover(value.Span))
                       : new FunctionStatement(name, functionParameters.Value, value, keyword.Cover(value.Span));
        }

        /// <summary><c>repeat n as i { }</c> and <c>dense n as i { }</c>.</summary>
        private Parser<Statement> Counted(string keywordText, System.Func<Expression, Identifier?, Body, TextSpan, Statement> create) =>
            from keyword in tokens.Keyword(keywordText)
            from count in expressions.Expression
            from index in asLabel
            from body in Body($"the body of {keywordText}")
            select create(count, index, body, keyword.Cover(body.Span));

        private Parser<Statement> For()
        {
            var single = tokens.Name("a loop variable").Select(name => new ForPattern(EquatableArray.Create(name), false, name.Span));
            var tuple =
                from open in tokens.Symbol("(")
                from names in tokens.WithEnd(tokens.DelimitedUntil(tokens.Name("a loop variable"), ')', "')' to close the loop variables"))
                select new ForPattern(names.Value, true, TextSpan.FromBounds(open.Start, names.End));
            return from keyword in tokens.Keyword("for")
                   from pattern in tokens.Expecting(tuple.Or(single), "a loop variable or a tuple of them, e.g. (a, b)")
                   from inKeyword in tokens.Keyword("in")
                   from source in expressions.ForSource
                   from body in Body("the body of for")
                   select (Statement)new ForStatement(pattern, source, body, keyword.Cover(body.Span));
        }

        /// <summary><c>if c { } else if d { } else { }</c>; the else-if chain nests, so it counts towards the depth limit.</summary>
        private Parser<Statement> If()
        {
            var elseIf = tokens.Nested(Tokens.Recursive(If), "this 'else if'")
                .Select(nested => new Body(EquatableArray.Create(nested), nested.Span));
            var elseBody = tokens.OptionalAfter(tokens.Keyword("else"), PeekWordIs("if").Then(_ => elseIf).Or(Body("the else body")));
            return from keyword in tokens.Keyword("if")
                   from condition in expressions.Expression
                   from then in Body("the body of if")
                   from otherwise in elseBody
                   select (Statement)new IfStatement(condition, then, otherwise, keyword.Cover((otherwise ?? then).Span));
        }

        /// <summary>The start of <c>-&gt;</c> at the next significant position, or null.</summary>
        private int? PeekArrow(IInput input)
        {
            int start = tokens.Start(input);
            return start + 1 < context.Text.Length && context.Text[start] == '-' && context.Text[start + 1] == '>' ? start : null;
        }

        /// <summary><c>-&gt; a, b</c></summary>
        private IResult<Statement> NameFeatures(IInput input, int arrow)
        {
            var names = NameList("a name for the feature map after '->'")(context.InputAt(arrow + 2));
            return names.WasSuccessful
                ? Result.Success<Statement>(new NameFeaturesStatement(names.Value, TextSpan.FromBounds(arrow, names.Value.Last().Span.End)), names.Remainder)
                : Result.Failure<Statement>(names.Remainder, names.Message, names.Expectations);
        }

        /// <summary><c>a, b, c</c>: one or more names separated by commas, with no brackets.</summary>
        private Parser<EquatableArray<Identifier>> NameList(string role) =>
            input =>
            {
                var name = tokens.Name(role);
                var names = new List<Identifier>();
                IInput rest = input;
                while (true)
                {
                    var parsed = name(rest);
                    if (!parsed.WasSuccessful)
                        return Result.Failure<EquatableArray<Identifier>>(parsed.Remainder, parsed.Message, parsed.Expectations);
                    names.Add(parsed.Value);
                    int next = tokens.Start(parsed.Remainder);
                    if (next >= context.Text.Length || context.Text[next] != ',')
                        return Result.Success(names.ToEquatableArray(), parsed.Remainder);
                    rest = context.InputAt(next + 1);
                }
            };

        /// <summary><c>add(a, b) as label</c>: the names of the feature maps merged, between parentheses.</summary>
        private Parser<Statement> MergeFeatures(string keywordText, FeatureMergeKind kind) =>
            from keyword in tokens.Keyword(keywordText)
            from open in tokens.Immediate('(').Named($"'(' and the feature maps to {keywordText}, e.g. {keywordText}(p4, up)")
            from inputs in tokens.WithEnd(tokens.DelimitedUntil(tokens.Name("the name of a feature map"), ')', $"')' to close {keywordText}"))
            from label in asLabel
            select (Statement)new MergeFeaturesStatement(kind, inputs.Value, label, TextSpan.FromBounds(keyword.Start, label?.Span.End ?? inputs.End));

        /// <summary><c>resize(to: p4, bilinear: true)</c></summary>
        private Parser<Statement> Resize() =>
            from keyword in tokens.Keyword("resize")
            from open in tokens.Immediate('(').Named("'(' and the feature map to take the size of, e.g. resize(to: p4)")
            from arguments in tokens.WithEnd(expressions.ArgumentsAfterOpen("resize", open))
            select (Statement)new ResizeStatement(arguments.Value, TextSpan.FromBounds(keyword.Start, arguments.End));

        private Parser<MergeKind> Merge() =>
            tokens.Keyword("concat").Return(MergeKind.Concat)
                .Or(tokens.Keyword("add").Return(MergeKind.Add))
                .Named("'concat' or 'add' after 'parallel'");

        /// <summary><c>residual(project: true) when cond { ... }</c></summary>
        private Parser<Statement> Residual()
        {
            var options =
                from open in tokens.Symbol("(")
                from arguments in expressions.ArgumentsAfterOpen("residual", open)
                select new Boxed<EquatableArray<Argument>>(arguments);
            return from keyword in tokens.Keyword("residual")
                   from parsedOptions in tokens.OptionalAfter(PeekSymbol('('), options)
                   from condition in tokens.OptionalAfter(tokens.Keyword("when"), expressions.Expression)
                   from body in Body("the body of residual")
                   select (Statement)new ResidualStatement(
                       parsedOptions?.Value ?? EquatableArray<Argument>.Empty, condition, body, keyword.Cover(body.Span));
        }

        private IResult<ShapeSyntax> ParseShape(IInput input)
        {
            var separator = tokens.Symbol("x", "'x' between the dimensions of the shape (e.g. 3x224x224)");
            return (from channels in expressions.ShapeDimension
                    from x1 in separator
                    from height in expressions.ShapeDimension
                    from x2 in separator
                    from width in expressions.ShapeDimension
                    select new ShapeSyntax(channels, height, width, channels.Span.Cover(width.Span)))(input);
        }

        /// <summary>Succeeds without consuming when the next significant character is <paramref name="symbol"/>.</summary>
        private Parser<TextSpan> PeekSymbol(char symbol) =>
            input =>
            {
                int start = tokens.Start(input);
                return start < context.Text.Length && context.Text[start] == symbol
                    ? Result.Success(new TextSpan(start, 0), input)
                    : tokens.FailAt<TextSpan>(start, $"'{symbol}'");
            };

        private Parser<TextSpan> PeekName() =>
            input =>
            {
                string? word = tokens.PeekWord(input, out int start);
                return word is not null ? Result.Success(new TextSpan(start, 0), input) : tokens.FailAt<TextSpan>(start, "a name");
            };

        private Parser<TextSpan> PeekWordIs(string expected) =>
            input => tokens.PeekWord(input, out int start) == expected
                ? Result.Success(new TextSpan(start, 0), input)
                : tokens.FailAt<TextSpan>(start, $"'{expected}'");
    }

    /// <summary>Wraps a value type so that <see cref="Tokens.OptionalAfter{T}"/> can tell "absent" from "present".</summary>
    internal sealed record Boxed<T>(T Value);
}
