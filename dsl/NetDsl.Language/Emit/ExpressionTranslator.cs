using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Translates NetDsl expressions to C#: int is <c>long</c>, float <c>double</c>; the operators whose
    /// meaning differs from C#'s (<c>/</c> on ints, <c>//</c>, <c>%</c>, <c>^</c>, <c>round</c>) go through
    /// <c>DslMath</c>, so generated code computes what the checker computed.
    /// </summary>
    internal sealed class ExpressionTranslator
    {
        private const string DslMath = "global::NetDsl.Runtime.Composition.DslMath";
        private const string MathClass = "global::System.Math";
        private const string Require = "global::NetDsl.Runtime.Composition.Require";

        private readonly NameAllocator names;

        public ExpressionTranslator(NameAllocator names) => this.names = names;

        public static bool IsActivationName(string name) => Model.LayerCatalogue.Activation(name) != null;

        /// <summary>The runtime's <c>Activation</c> enum member for a built-in activation, as C#.</summary>
        public static string ActivationValue(string name) =>
            "global::NetDsl.Runtime.Composition.Activation." + Model.LayerCatalogue.Activation(name)!.RuntimeMember;

        public Typed Translate(Expression expression, Frame frame)
        {
            switch (expression)
            {
                case NumberLiteral number:
                    return number.IsInteger
                        ? new Typed(((long)number.Value).ToString(CultureInfo.InvariantCulture), DslType.Int, Typed.Primary, true)
                        : new Typed(FloatLiteral(number.Value), DslType.Float, Typed.Primary, true);
                case BooleanLiteral boolean:
                    return new Typed(boolean.Value ? "true" : "false", DslType.Bool, Typed.Primary, true);
                case NameExpression name:
                    return TranslateName(name.Name, frame);
                case UnaryExpression unary:
                {
                    var operand = Translate(unary.Operand, frame);
                    var op = unary.Operator == UnaryOperator.Negate ? "-" : "!";
                    return new Typed(op + operand.Wrapped(Typed.Unary), operand.Type, Typed.Unary, operand.IsConstant);
                }
                case BinaryExpression binary:
                    return TranslateBinary(binary, frame);
                case ConditionalExpression conditional:
                {
                    var condition = Translate(conditional.Condition, frame);
                    var whenTrue = Translate(conditional.WhenTrue, frame);
                    var whenFalse = Translate(conditional.WhenFalse, frame);
                    return new Typed(
                        $"{condition.Wrapped(Typed.Or)} ? {whenTrue.Wrapped(Typed.Conditional)} : {whenFalse.Wrapped(Typed.Conditional)}",
                        DslType.Unify(whenTrue.Type, whenFalse.Type), Typed.Conditional,
                        condition.IsConstant && whenTrue.IsConstant && whenFalse.IsConstant);
                }
                case CallExpression call:
                    return TranslateCall(call, frame);
                case IndexExpression index:
                    return TranslateIndex(index, frame);
                case TupleExpression tuple:
                {
                    var items = tuple.Items.Select(item => Translate(item, frame)).ToList();
                    return new Typed("(" + string.Join(", ", items.Select(i => i.Code)) + ")",
                        new TupleType(items.Select(i => i.Type).ToEquatableArray()), Typed.Primary, items.All(i => i.IsConstant));
                }
                case ListExpression list:
                {
                    var items = list.Items.Select(item => Translate(item, frame)).ToList();
                    if (items.Count == 0)
                        throw new EmitException(list.Span, "an empty list has no element type; give it at least one item");
                    var element = items.Select(i => i.Type).Aggregate(DslType.Unify);
                    return new Typed($"new {element.CSharp}[] {{ {string.Join(", ", items.Select(i => i.Code))} }}",
                        new ListType(element), Typed.Primary, items.All(i => i.IsConstant));
                }
                default:
                    throw new EmitException(expression.Span, "this expression is only allowed as the source of a for loop");
            }
        }

        /// <summary>An int-valued C# expression: a float is checked to be whole at run time (NN0120, NN0200).</summary>
        public string AsInt(Typed value, string what, bool isChannelCount = false)
        {
            if (value.Type == DslType.Int)
                return value.Code;
            var message = isChannelCount
                ? StringLiterals.PartialFormat(DiagnosticCatalog.ChannelsNotWhole, (string?)null)
                : StringLiterals.PartialFormat(DiagnosticCatalog.NotWholeNumber, what, null);
            var code = isChannelCount ? DiagnosticCatalog.ChannelsNotWhole.Code : DiagnosticCatalog.NotWholeNumber.Code;
            return $"{Require}.Whole({value.Code}, \"{code}\", {message})";
        }

        /// <summary>
        /// A channel count: whole (NN0200), and, when it depends on the arguments, checked at build time to be
        /// positive (NN0201) and within the limit (NN0304). A constant one the checker has already checked.
        /// </summary>
        public string ChannelCount(Expression expression, Frame frame)
        {
            var value = Translate(expression, frame);
            var code = AsInt(value, "a channel count", isChannelCount: true);
            if (value.IsConstant)
                return code;
            // The checker explains a named count as "classes = 0"; other expressions show just the value here.
            var notPositive = StringLiterals.PartialFormat(DiagnosticCatalog.NotPositive, "channel count", null);
            if (expression is NameExpression name)
                notPositive = notPositive.Replace("{0}", name.Name.Text + " = {0}");
            return $"{Require}.Within({code}, 1, {Checking.EvaluationContext.MaxChannels}, " +
                   $"\"{DiagnosticCatalog.NotPositive.Code}\", {notPositive}, " +
                   $"\"{DiagnosticCatalog.TooManyChannels.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.TooManyChannels, (string?)null)})";
        }

        /// <summary>
        /// A spatial size of the input (<paramref name="what"/>: "input height"), checked at build time when it depends
        /// on the arguments: positive (NN0201) and within the limit (NN0305).
        /// </summary>
        public string SpatialSize(Typed value, string what)
        {
            var code = AsInt(value, "the " + what);
            if (value.IsConstant)
                return code;
            return $"{Require}.Within({code}, 1, {Checking.EvaluationContext.MaxSpatial}, " +
                   $"\"{DiagnosticCatalog.NotPositive.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.NotPositive, what, null)}, " +
                   $"\"{DiagnosticCatalog.SpatialTooLarge.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.SpatialTooLarge, (string?)null)})";
        }

        /// <summary>
        /// The count of <c>repeat</c> or <c>dense</c> (<paramref name="keyword"/>), checked at build time when it depends
        /// on the arguments: not negative (NN0215) and within the limit (NN0300).
        /// </summary>
        public string LoopCount(Typed value, string keyword)
        {
            var code = AsInt(value, $"the {keyword} count");
            if (value.IsConstant)
                return code;
            return $"{Require}.Within({code}, 0, {Checking.EvaluationContext.MaxLoopCount}, " +
                   $"\"{DiagnosticCatalog.NegativeValue.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.NegativeValue, keyword + " count", null)}, " +
                   $"\"{DiagnosticCatalog.LoopTooLong.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.LoopTooLong, keyword, null)})";
        }

        /// <summary>
        /// The statement that checks, at build time, that a range <c>from..to</c> depending on the arguments has at most
        /// 10,000 items (NN0300); null when both ends are constants (the checker has checked them).
        /// </summary>
        public string? RangeCheck(Typed from, Typed to, string fromCode, string toCode)
        {
            if (from.IsConstant && to.IsConstant)
                return null;
            return $"{Require}.Within({MathClass}.Max(0, {toCode} - {fromCode} + 1), 0, {Checking.EvaluationContext.MaxLoopCount}, " +
                   $"\"{DiagnosticCatalog.LoopTooLong.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.LoopTooLong, "for", null)}, " +
                   $"\"{DiagnosticCatalog.LoopTooLong.Code}\", {StringLiterals.PartialFormat(DiagnosticCatalog.LoopTooLong, "for", null)});";
        }

        private Typed TranslateName(Identifier name, Frame frame)
        {
            var symbol = frame.Scope.Lookup(name.Text);
            switch (symbol)
            {
                case ValueSymbol value:
                    return new Typed(value.Code, value.Type, Typed.Primary, false);
                case FunctionSymbol _:
                    throw new EmitException(name.Span, $"'{name.Text}' is a function; call it with arguments");
            }
            if (name.Text == "in")
                return new Typed(frame.InChannels, DslType.Int, Typed.Primary, false);
            if (name.Text == "channels")
                return new Typed(frame.Shape + ".Channels", DslType.Int, Typed.Primary, false);
            if (IsActivationName(name.Text))
                return new Typed(ActivationValue(name.Text), DslType.Activation, Typed.Primary, true);
            throw new EmitException(name.Span, $"unknown name '{name.Text}'");
        }

        private Typed TranslateBinary(BinaryExpression binary, Frame frame)
        {
            var left = Translate(binary.Left, frame);
            var right = Translate(binary.Right, frame);
            var constant = left.IsConstant && right.IsConstant;
            var bothInt = left.Type == DslType.Int && right.Type == DslType.Int;
            var numeric = bothInt ? DslType.Int : DslType.Float;

            Typed Infix(string op, int precedence, DslType type) =>
                new Typed($"{left.Wrapped(precedence)} {op} {right.Wrapped(precedence + 1)}", type, precedence, constant);

            Typed Call(string function, DslType type) =>
                new Typed($"{function}({left.Code}, {right.Code})", type, Typed.Primary, constant);

            switch (binary.Operator)
            {
                case BinaryOperator.Add: return Infix("+", Typed.Additive, numeric);
                case BinaryOperator.Subtract: return Infix("-", Typed.Additive, numeric);
                case BinaryOperator.Multiply: return Infix("*", Typed.Multiplicative, numeric);
                case BinaryOperator.Divide:
                    // Real division: one operand must be a double in C#.
                    if (bothInt)
                        left = new Typed("(double)" + left.Wrapped(Typed.Unary), DslType.Float, Typed.Unary, left.IsConstant);
                    return Infix("/", Typed.Multiplicative, DslType.Float);
                case BinaryOperator.FloorDivide:
                    return bothInt ? Call(DslMath + ".FloorDiv", DslType.Int)
                        : new Typed($"{MathClass}.Floor({left.Wrapped(Typed.Multiplicative)} / {right.Wrapped(Typed.Unary)})", DslType.Float, Typed.Primary, constant);
                case BinaryOperator.Modulo:
                    return bothInt ? Call(DslMath + ".Mod", DslType.Int) : Infix("%", Typed.Multiplicative, DslType.Float);
                case BinaryOperator.Power:
                    return bothInt ? Call(DslMath + ".Pow", DslType.Int) : Call(MathClass + ".Pow", DslType.Float);
                case BinaryOperator.Equal: return Infix("==", Typed.Equality, DslType.Bool);
                case BinaryOperator.NotEqual: return Infix("!=", Typed.Equality, DslType.Bool);
                case BinaryOperator.Less: return Infix("<", Typed.Relational, DslType.Bool);
                case BinaryOperator.LessOrEqual: return Infix("<=", Typed.Relational, DslType.Bool);
                case BinaryOperator.Greater: return Infix(">", Typed.Relational, DslType.Bool);
                case BinaryOperator.GreaterOrEqual: return Infix(">=", Typed.Relational, DslType.Bool);
                case BinaryOperator.And: return Infix("&&", Typed.And, DslType.Bool);
                default: return Infix("||", Typed.Or, DslType.Bool);
            }
        }

        private Typed TranslateCall(CallExpression call, Frame frame)
        {
            var arguments = call.Arguments.Select(argument => Translate(argument.Value, frame)).ToList();
            var constant = arguments.All(a => a.IsConstant);
            var joined = string.Join(", ", arguments.Select(a => a.Code));
            var function = call.Function.Text;
            if (frame.Scope.Lookup(function) is FunctionSymbol symbol)
                return CallLocalFunction(symbol, arguments, frame);
            switch (function)
            {
                case "min":
                case "max":
                {
                    var type = arguments.Select(a => a.Type).Aggregate(DslType.Unify);
                    var name = MathClass + (function == "min" ? ".Min" : ".Max");
                    var code = arguments.Skip(1).Aggregate(arguments[0].Code, (acc, next) => $"{name}({acc}, {next.Code})");
                    if (type == DslType.Float && arguments[0].Type == DslType.Int && arguments.Count > 1)
                        code = arguments.Skip(1).Aggregate("(double)" + arguments[0].Wrapped(Typed.Unary), (acc, next) => $"{name}({acc}, {next.Code})");
                    return new Typed(code, type, Typed.Primary, constant);
                }
                case "abs":
                    return new Typed($"{MathClass}.Abs({joined})", arguments[0].Type, Typed.Primary, constant);
                case "ceil":
                case "floor":
                case "round":
                    return new Typed($"{DslMath}.{char.ToUpperInvariant(function[0]) + function.Substring(1)}({joined})", DslType.Int, Typed.Primary, constant);
                case "len":
                    return new Typed($"{arguments[0].Wrapped(Typed.Primary)}.LongLength", DslType.Int, Typed.Primary, constant);
                case "sum":
                {
                    var element = arguments[0].Type is ListType list ? list.Element : DslType.Int;
                    return new Typed($"global::System.Linq.Enumerable.Sum({joined})", element, Typed.Primary, constant);
                }
                case "divisible":
                    return new Typed($"global::NetDsl.Runtime.ShapeMath.Divisible({joined})", DslType.Int, Typed.Primary, constant);
                default:
                    throw new EmitException(call.Function.Span, $"unknown function '{function}'");
            }
        }

        private Typed CallLocalFunction(FunctionSymbol function, List<Typed> arguments, Frame frame)
        {
            var key = string.Join(",", arguments.Select(a => a.Type.CSharp));
            if (!function.Instances.TryGetValue(key, out var instance))
            {
                var name = names.Allocate(function.Instances.Count == 0 ? function.Syntax.Name.Text : function.Syntax.Name.Text + "_");
                var scope = new Scope(function.Definition);
                var parameters = new List<string>();
                for (var i = 0; i < function.Syntax.Parameters.Count; i++)
                {
                    var parameter = function.Syntax.Parameters[i];
                    var type = i < arguments.Count ? arguments[i].Type : DslType.Float;
                    var code = names.Peek(CSharpNames.Escape(parameter.Text));
                    scope.Define(parameter.Text, new ValueSymbol(code, type));
                    parameters.Add($"{type.CSharp} {code}");
                }
                var body = Translate(function.Syntax.Body, frame.WithScope(scope));
                instance = (name, body.Type);
                function.Instances[key] = instance;
                function.Block.LocalFunctions.Add($"{body.Type.CSharp} {name}({string.Join(", ", parameters)}) => {body.Code};");
            }
            return new Typed($"{instance.Name}({string.Join(", ", arguments.Select(a => a.Code))})", instance.Result, Typed.Primary, false);
        }

        private Typed TranslateIndex(IndexExpression index, Frame frame)
        {
            var target = Translate(index.Target, frame);
            if (target.Type is TupleType tuple)
            {
                if (!(index.Index is NumberLiteral literal && literal.IsInteger && literal.Value >= 0 && literal.Value < tuple.Items.Count))
                    throw new EmitException(index.Index.Span, "a tuple is indexed with a whole number literal within its length");
                var position = (int)literal.Value;
                return new Typed($"{target.Wrapped(Typed.Primary)}.Item{position + 1}", tuple.Items[position], Typed.Primary, target.IsConstant);
            }
            var element = target.Type is ListType list ? list.Element : DslType.Int;
            var at = Translate(index.Index, frame);
            return new Typed($"{target.Wrapped(Typed.Primary)}[{at.Code}]", element, Typed.Primary, target.IsConstant && at.IsConstant);
        }

        private static string FloatLiteral(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }
    }
}
