using NetDsl.Syntax;
using Sprache;

namespace NetDsl.Parsing
{
    /// <summary><c>network</c>, <c>block</c> and <c>variant</c> declarations and their parameter lists.</summary>
    internal sealed class DeclarationGrammar
    {
        public const string DeclarationExpectation = "a declaration ('network', 'block' or 'variant')";

        private readonly Tokens tokens;
        private readonly ExpressionGrammar expressions;
        private readonly StatementGrammar statements;
        private readonly Parser<Declaration> network;
        private readonly Parser<Declaration> block;
        private readonly Parser<Declaration> variant;

        public DeclarationGrammar(Tokens tokens, ExpressionGrammar expressions, StatementGrammar statements)
        {
            this.tokens = tokens;
            this.expressions = expressions;
            this.statements = statements;
            network = from keyword in tokens.Keyword("network")
                      from name in tokens.Name("the network's name")
                      from parameters in Parameters($"network {name.Text}")
                      from body in statements.Body($"the body of network {name.Text}")
                      select (Declaration)new NetworkDeclaration(name, parameters, body, keyword.Cover(body.Span));
            block = from keyword in tokens.Keyword("block")
                    from name in tokens.Name("the block's name")
                    from parameters in Parameters($"block {name.Text}")
                    from body in statements.Body($"the body of block {name.Text}")
                    select (Declaration)new BlockDeclaration(name, parameters, body, keyword.Cover(body.Span));
            variant = Variant();
            Declaration = ParseDeclaration;
        }

        public Parser<Declaration> Declaration { get; }

        private IResult<Declaration> ParseDeclaration(IInput input)
        {
            switch (tokens.PeekWord(input, out int start))
            {
                case "network":
                    return network(input);
                case "block":
                    return block(input);
                case "variant":
                    return variant(input);
                default:
                    return tokens.FailAt<Declaration>(start, DeclarationExpectation);
            }
        }

        /// <summary><c>(name: type = default, ...)</c>; a declaration without parameters may omit the parentheses.</summary>
        private Parser<EquatableArray<Parameter>> Parameters(string owner)
        {
            var type = tokens.Keyword("int").Return(ParameterType.Int)
                .Or(tokens.Keyword("float").Return(ParameterType.Float))
                .Or(tokens.Keyword("bool").Return(ParameterType.Bool))
                .Or(tokens.Keyword("activation").Return(ParameterType.Activation));
            var typed = tokens.Expecting(
                input =>
                {
                    int start = tokens.Start(input);
                    return type.Select(t => (Type: t, Span: TextSpan.FromBounds(start, start + t.ToString().Length)))(input);
                },
                "a type (int, float or bool)");
            var parameter =
                from name in tokens.Name("a parameter name")
                from colon in tokens.Symbol(":", $"':' and the type of parameter {name.Text}")
                from parameterType in typed
                from defaultValue in tokens.OptionalAfter(tokens.Symbol("=", notFollowedBy: "="), expressions.Expression)
                select new Parameter(name, parameterType.Type, parameterType.Span, defaultValue,
                    name.Span.Cover(defaultValue?.Span ?? parameterType.Span));
            var list =
                from open in tokens.Symbol("(")
                from parameters in tokens.DelimitedUntil(parameter, ')', $"')' to close the parameter list of {owner}")
                select new Boxed<EquatableArray<Parameter>>(parameters);
            return tokens.OptionalAfter(PeekSymbol('('), list).Select(parsed => parsed?.Value ?? EquatableArray<Parameter>.Empty);
        }

        /// <summary><c>variant Name = Network(args) { input CxHxW }</c></summary>
        private Parser<Declaration> Variant()
        {
            var arguments =
                from open in tokens.Symbol("(")
                from parsed in tokens.WithEnd(expressions.ArgumentsAfterOpen("the variant", open))
                select new Boxed<(EquatableArray<Argument> Arguments, int End)>(parsed);
            var input =
                from open in tokens.Symbol("{")
                from shape in tokens.Keyword("input").Then(_ => statements.Shape)
                from close in tokens.Symbol("}", "'}' to close the variant's body (it holds only an input statement)")
                select new Boxed<(ShapeSyntax Shape, TextSpan Close)>((shape, close));
            return from keyword in tokens.Keyword("variant")
                   from name in tokens.Name("the variant's name")
                   from equalsSign in tokens.Symbol("=", "'=' and the network the variant is based on", notFollowedBy: "=")
                   from target in tokens.Name("the name of the network the variant is based on")
                   from parsedArguments in tokens.OptionalAfter(PeekSymbol('('), arguments)
                   from body in tokens.OptionalAfter(PeekSymbol('{'), input)
                   let end = body?.Value.Close.End ?? parsedArguments?.Value.End ?? target.Span.End
                   select (Declaration)new VariantDeclaration(name, target, parsedArguments?.Value.Arguments ?? EquatableArray<Argument>.Empty,
                       body?.Value.Shape, TextSpan.FromBounds(keyword.Start, end));
        }

        private Parser<TextSpan> PeekSymbol(char symbol) =>
            input =>
            {
                int start = tokens.Start(input);
                return start < tokens.Context.Text.Length && tokens.Context.Text[start] == symbol
                    ? Result.Success(new TextSpan(start, 0), input)
                    : tokens.FailAt<TextSpan>(start, $"'{symbol}'");
            };
    }
}
