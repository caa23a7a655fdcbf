using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Resolves the names of expressions and infers their static types where they are certain, so that
    /// mistakes are found even in branches that are not taken and blocks that are never used.
    /// </summary>
    internal sealed class ExpressionBinder
    {
        private readonly BinderContext context;

        public ExpressionBinder(BinderContext context) => this.context = context;

        /// <summary>The function whose body is being bound, so that a call to itself gets a clear message.</summary>
        public string? CurrentFunction { get; set; }

        public DslType Bind(Expression expression, Scope scope)
        {
            switch (expression)
            {
                case NumberLiteral number:
                    return number.IsInteger ? DslType.Int : DslType.Float;
                case BooleanLiteral:
                    return DslType.Bool;
                case NameExpression name:
                    return BindName(name, scope);
                case UnaryExpression unary:
                {
                    var operand = Bind(unary.Operand, scope);
                    if (unary.Operator == UnaryOperator.Not)
                    {
                        Expect(unary.Operand, operand, DslType.Bool, "the operand of !");
                        return DslType.Bool;
                    }
                    ExpectNumber(unary.Operand, operand, "the operand of -");
                    return operand == DslType.Int || operand == DslType.Float ? operand : DslType.Unknown;
                }
                case BinaryExpression binary:
                    return BindBinary(binary, scope);
                case ConditionalExpression conditional:
                {
                    Expect(conditional.Condition, Bind(conditional.Condition, scope), DslType.Bool, "a condition");
                    var whenTrue = Bind(conditional.WhenTrue, scope);
                    var whenFalse = Bind(conditional.WhenFalse, scope);
                    return whenTrue == whenFalse ? whenTrue : JoinNumbers(whenTrue, whenFalse);
                }
                case CallExpression call:
                    return BindCall(call, scope);
                case IndexExpression index:
                {
                    var target = Bind(index.Target, scope);
                    if (target != DslType.Unknown && target != DslType.List && target != DslType.Tuple)
                        context.Report(DiagnosticCatalog.NotIndexable, index.Target.Span, $"'{context.Text(index.Target.Span)}'", TypeNames.WithArticle(target));
                    Expect(index.Index, Bind(index.Index, scope), DslType.Int, "an index");
                    return DslType.Unknown;
                }
                case TupleExpression tuple:
                    foreach (var item in tuple.Items)
                        Bind(item, scope);
                    return DslType.Tuple;
                case ListExpression list:
                    foreach (var item in list.Items)
                        Bind(item, scope);
                    return DslType.List;
                case RangeExpression range:
                    // The parser only makes ranges as a for source; elsewhere (hand-built trees) the value is unknown.
                    Expect(range.From, Bind(range.From, scope), DslType.Int, "the start of a range");
                    Expect(range.To, Bind(range.To, scope), DslType.Int, "the end of a range");
                    return DslType.List;
                default:
                    return DslType.Unknown;
            }
        }

        /// <summary>Reports a type that is certainly wrong for <paramref name="expected"/>; floats written as non-whole literals where an int is expected too.</summary>
        public void Expect(Expression expression, DslType actual, DslType expected, string what)
        {
            if (actual == DslType.Unknown || expected == DslType.Unknown || actual == expected)
                return;
            bool numeric = (expected == DslType.Int || expected == DslType.Float) && (actual == DslType.Int || actual == DslType.Float);
            if (numeric)
            {
                if (expected == DslType.Int && expression is NumberLiteral { IsInteger: false } literal && literal.Value != System.Math.Floor(literal.Value))
                    context.Report(DiagnosticCatalog.NotWholeNumber, expression.Span, what, literal.Text);
                return;
            }
            context.Report(DiagnosticCatalog.TypeMismatch, expression.Span, what, TypeNames.WithArticle(expected),
                $"'{context.Text(expression.Span)}'", TypeNames.WithArticle(actual));
        }

        private void ExpectNumber(Expression expression, DslType actual, string what)
        {
            if (actual is DslType.Bool or DslType.Activation or DslType.Tuple or DslType.List)
                context.Report(DiagnosticCatalog.TypeMismatch, expression.Span, what, "a number", $"'{context.Text(expression.Span)}'", TypeNames.WithArticle(actual));
        }

        private static DslType JoinNumbers(DslType left, DslType right)
        {
            if (left == DslType.Unknown || right == DslType.Unknown)
                return DslType.Unknown;
            if ((left == DslType.Int || left == DslType.Float) && (right == DslType.Int || right == DslType.Float))
                return left == DslType.Float || right == DslType.Float ? DslType.Float : DslType.Int;
            return DslType.Unknown;
        }

        private DslType BindName(NameExpression name, Scope scope)
        {
            string text = name.Name.Text;
            Symbol? symbol = text switch
            {
                "in" => Builtins.In,
                "channels" => Builtins.Channels,
                _ => scope.Lookup(text) ?? Builtins.Activation(text),
            };
            if (symbol is null)
            {
                var candidates = scope.Visible().Where(s => s.Kind != SymbolKind.Function).Select(s => s.Name)
                    .Concat(Builtins.Activations).Concat(new[] { "channels" });
                context.HasUnknownNames = true;
                context.Report(DiagnosticCatalog.UnknownName, name.Span, text, Suggestions.DidYouMean(text, candidates));
                return DslType.Unknown;
            }
            if (symbol.Kind == SymbolKind.Function)
                context.Report(DiagnosticCatalog.ActivationNotValue, name.Span, text);
            context.Used.Add(symbol);
            context.Model.SetSymbol(name, symbol);
            return symbol.Kind == SymbolKind.Function ? DslType.Unknown : symbol.Type;
        }

        private DslType BindBinary(BinaryExpression binary, Scope scope)
        {
            var left = Bind(binary.Left, scope);
            var right = Bind(binary.Right, scope);
            string what = binary.Operator.Text();
            switch (binary.Operator)
            {
                case BinaryOperator.And:
                case BinaryOperator.Or:
                    Expect(binary.Left, left, DslType.Bool, $"the left side of {what}");
                    Expect(binary.Right, right, DslType.Bool, $"the right side of {what}");
                    return DslType.Bool;
                case BinaryOperator.Equal:
                case BinaryOperator.NotEqual:
                    return DslType.Bool;
                case BinaryOperator.Less:
                case BinaryOperator.LessOrEqual:
                case BinaryOperator.Greater:
                case BinaryOperator.GreaterOrEqual:
                    ExpectNumber(binary.Left, left, $"the left side of {what}");
                    ExpectNumber(binary.Right, right, $"the right side of {what}");
                    return DslType.Bool;
                default:
                    ExpectNumber(binary.Left, left, $"the left side of {what}");
                    ExpectNumber(binary.Right, right, $"the right side of {what}");
                    if (binary.Operator == BinaryOperator.Divide)
                        return DslType.Float;
                    return JoinNumbers(left, right);
            }
        }

        private DslType BindCall(CallExpression call, Scope scope)
        {
            string name = call.Function.Text;
            var symbol = scope.Lookup(name);
            if (symbol is { Kind: SymbolKind.Function })
            {
                context.Used.Add(symbol);
                context.Model.SetSymbol(call, symbol);
                var parameters = context.Bindings.Functions[symbol].Parameters.Select(p => p.Text).ToList();
                var bound = ArgumentMatcher.Match(parameters, parameters.Select(_ => true).ToList(), call.Arguments,
                    $"function '{name}'", call.Function.Span, context.Source, context.Diagnostics, DiagnosticCatalog.WrongArgumentCount);
                context.Bindings.Arguments[call] = bound;
                foreach (var argument in call.Arguments)
                    Bind(argument.Value, scope);
                return DslType.Unknown;
            }

            foreach (var argument in call.Arguments)
            {
                if (argument.Name is not null && Builtins.Functions.ContainsKey(name))
                    context.Report(DiagnosticCatalog.UnknownArgument, argument.Name.Span, $"function '{name}'", argument.Name.Text, "");
            }
            var types = call.Arguments.Select(a => Bind(a.Value, scope)).ToList();

            if (symbol is null && Builtins.Function(name) is { } builtin)
            {
                context.Model.SetSymbol(call, builtin);
                var (min, max) = Builtins.Functions[name];
                int count = call.Arguments.Count;
                if (count < min || (max >= 0 && count > max))
                {
                    string expected = max < 0 ? $"at least {min}" : min == max ? $"{min}" : $"{min} or {max}";
                    context.Report(DiagnosticCatalog.WrongArgumentCount, call.Function.Span, $"{name}()", expected, count);
                }
                return BuiltinResultType(name, types);
            }

            if (name == CurrentFunction)
            {
                context.Report(DiagnosticCatalog.RecursiveFunction, call.Function.Span, name);
                return DslType.Unknown;
            }
            if (symbol is not null)
            {
                context.Used.Add(symbol);
                context.Report(DiagnosticCatalog.UnknownFunction, call.Function.Span, name, $"; '{name}' is {DescribeSymbol(symbol)}, not a function");
                return DslType.Unknown;
            }
            var candidates = scope.Visible().Where(s => s.Kind == SymbolKind.Function).Select(s => s.Name).Concat(Builtins.Functions.Keys);
            context.Report(DiagnosticCatalog.UnknownFunction, call.Function.Span, name, Suggestions.DidYouMean(name, candidates));
            return DslType.Unknown;
        }

        private static DslType BuiltinResultType(string name, List<DslType> arguments) => name switch
        {
            "ceil" or "floor" or "round" or "len" or "divisible" => DslType.Int,
            "abs" when arguments.Count == 1 => arguments[0] is DslType.Int or DslType.Float ? arguments[0] : DslType.Unknown,
            "min" or "max" when arguments.Count > 1 => arguments.Aggregate(JoinNumbers),
            _ => DslType.Unknown,
        };

        public static string DescribeSymbol(Symbol symbol) => symbol.Kind switch
        {
            SymbolKind.Parameter => $"{TypeNames.WithArticle(symbol.Type)} parameter",
            SymbolKind.Let => symbol.Type == DslType.Unknown ? "a let value" : $"{TypeNames.WithArticle(symbol.Type)} value",
            SymbolKind.LoopVariable => symbol.Type == DslType.Unknown ? "a loop variable" : $"{TypeNames.WithArticle(symbol.Type)} loop variable",
            SymbolKind.FunctionParameter => "a function parameter",
            SymbolKind.Function => "a function",
            _ => "a value",
        };
    }
}
