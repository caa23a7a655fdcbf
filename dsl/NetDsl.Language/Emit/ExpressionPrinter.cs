using System.Globalization;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Prints bound expressions as C#: int is <c>long</c>, float <c>double</c>; the operators whose meaning differs from
    /// C#'s (<c>/</c> on ints, <c>//</c>, <c>%</c>, <c>^</c>, <c>round</c>) go through <c>DslMath</c>, so generated code
    /// computes what the checker computed. Values that depend on the arguments get the checker's limits as run-time checks.
    /// </summary>
    internal sealed class ExpressionPrinter
    {
        private const string DslMath = "global::NetDsl.Runtime.Composition.DslMath";
        private const string MathClass = "global::System.Math";
        private const string Require = "global::NetDsl.Runtime.Composition.Require";

        private readonly Locals locals;

        public ExpressionPrinter(Locals locals) => this.locals = locals;

        /// <summary>The runtime's <c>Activation</c> enum member for a built-in activation, as C#.</summary>
        public static string ActivationValue(string name) =>
            "global::NetDsl.Runtime.Composition.Activation." + LayerCatalogue.Activation(name)!.RuntimeMember;

        /// <summary>The C# type of a value.</summary>
        public static string TypeOf(BoundType type) => type switch
        {
            TupleType tuple => "(" + string.Join(", ", tuple.Items.Select(TypeOf)) + ")",
            ListType list => TypeOf(list.Element) + "[]",
            ScalarType { Kind: DslType.Int } => "long",
            ScalarType { Kind: DslType.Float } => "double",
            ScalarType { Kind: DslType.Bool } => "bool",
            _ => "global::NetDsl.Runtime.Composition.Activation",
        };

        /// <summary>A double as a C# literal that reads back the same value: <c>0.5</c>, <c>1.0</c>, <c>1E-05</c>.</summary>
        public static string FloatLiteral(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains(".") || text.Contains("E") ? text : text + ".0";
        }

        public string Code(BoundExpression expression, Sequence where) => Print(expression, where).Code;

        public Printed Print(BoundExpression expression, Sequence where)
        {
            switch (expression)
            {
                case BoundIntLiteral integer:
                    return new Printed(integer.Value.ToString(CultureInfo.InvariantCulture), Printed.Primary);
                case BoundFloatLiteral real:
                    return new Printed(FloatLiteral(real.Value), Printed.Primary);
                case BoundBoolLiteral boolean:
                    return new Printed(boolean.Value ? "true" : "false", Printed.Primary);
                case BoundActivationLiteral activation:
                    return new Printed(ActivationValue(activation.Name), Printed.Primary);
                case BoundVariableReference reference:
                    return new Printed(locals[reference.Variable], Printed.Primary);
                case BoundInputChannels _:
                    return new Printed(where.InChannels, Printed.Primary);
                case BoundCurrentChannels _:
                    return new Printed(where.Shape + ".Channels", Printed.Primary);
                case BoundUnary unary:
                    return new Printed((unary.Operator == UnaryOperator.Negate ? "-" : "!") + Print(unary.Operand, where).Wrapped(Printed.Unary), Printed.Unary);
                case BoundBinary binary:
                    return Binary(binary, where);
                case BoundConditional conditional:
                    return new Printed(
                        $"{Print(conditional.Condition, where).Wrapped(Printed.Or)} ? {Print(conditional.WhenTrue, where).Wrapped(Printed.Conditional)} : " +
                        Print(conditional.WhenFalse, where).Wrapped(Printed.Conditional), Printed.Conditional);
                case BoundBuiltinCall call:
                    return BuiltinCall(call, where);
                case BoundFunctionCall call:
                    return FunctionCall(call, where);
                case BoundListIndex index:
                    return new Printed($"{Print(index.List, where).Wrapped(Printed.Primary)}[{Code(index.Index, where)}]", Printed.Primary);
                case BoundTupleItem item:
                    return new Printed($"{Print(item.Tuple, where).Wrapped(Printed.Primary)}.Item{item.Position + 1}", Printed.Primary);
                case BoundTuple tuple:
                    return new Printed("(" + string.Join(", ", tuple.Items.Select(i => Code(i, where))) + ")", Printed.Primary);
                case BoundList list:
                    return new Printed($"new {TypeOf(list.ListType.Element)}[] {{ {string.Join(", ", list.Items.Select(i => Code(i, where)))} }}", Printed.Primary);
                case BoundWholeNumber whole:
                {
                    var operand = Code(whole.Operand, where);
                    var name = NameArgument(whole.Operand);
                    return new Printed(whole.IsChannelCount
                        ? $"{Require}.ChannelCount({operand}{name})"
                        : $"{Require}.WholeNumber({operand}, {StringLiterals.Quote(whole.What)}{name})", Printed.Primary);
                }
                case BoundSamePadding padding:
                {
                    var kernel = Print(padding.Kernel, where).Wrapped(Printed.Additive);
                    return padding.Dilation is BoundIntLiteral { Value: 1 }
                        ? new Printed($"({kernel} - 1) / 2", Printed.Multiplicative)
                        : new Printed($"{Print(padding.Dilation, where).Wrapped(Printed.Multiplicative)} * ({kernel} - 1) / 2", Printed.Multiplicative);
                }
                default:
                    throw new System.ArgumentException("not a bound expression the printer knows: " + expression.GetType().Name, nameof(expression));
            }
        }

        /// <summary>
        /// A channel count with its check when it depends on the arguments (<c>Require.ChannelCount</c>: positive, within the
        /// limit, and whole when it is a float); a constant one the checker has already checked.
        /// </summary>
        public string ChannelCount(BoundExpression expression, Sequence where)
        {
            if (expression.IsConstant || expression is BoundWholeNumber { IsChannelCount: true })
                return Code(expression, where);
            return $"{Require}.ChannelCount({Code(expression, where)}{NameArgument(expression)})";
        }

        /// <summary>
        /// The name argument of a <c>Require</c> helper for a value written as a bare name, so its message reads
        /// <c>planes = 0</c> as the checker's does: <c>, nameof(planes)</c>; empty for anything else.
        /// </summary>
        public string NameArgument(BoundExpression expression)
        {
            switch (expression)
            {
                case BoundVariableReference reference:
                {
                    var code = locals[reference.Variable];
                    return code == CSharpNames.Escape(reference.Variable.Name) ? $", nameof({code})" : ", " + StringLiterals.Quote(reference.Variable.Name);
                }
                case BoundInputChannels _:
                    return ", \"in\"";
                case BoundCurrentChannels _:
                    return ", \"channels\"";
                default:
                    return "";
            }
        }

        /// <summary>A spatial size of the input (<paramref name="what"/>: "input height"), checked when it depends on the arguments.</summary>
        public string SpatialSize(BoundExpression value, string what, Sequence where)
        {
            var code = Code(value, where);
            return value.IsConstant ? code : $"{Require}.SpatialSize({code}, {StringLiterals.Quote(what)})";
        }

        /// <summary>The count of a <c>repeat</c> or <c>dense</c>, checked when it depends on the arguments.</summary>
        public string LoopCount(BoundExpression value, CheckKind kind, Sequence where)
        {
            var code = Code(value, where);
            return value.IsConstant ? code : $"{Require}.{kind}({code})";
        }

        /// <summary>The statement that checks the length of a range that depends on the arguments; null when both ends are constants.</summary>
        public static string? RangeCheck(BoundRange range, string fromCode, string toCode) =>
            range.From.IsConstant && range.To.IsConstant ? null : $"{Require}.RangeLength({fromCode}, {toCode});";

        private Printed Binary(BoundBinary binary, Sequence where)
        {
            var left = Print(binary.Left, where);
            var right = Print(binary.Right, where);

            Printed Infix(string op, int precedence) => new Printed($"{left.Wrapped(precedence)} {op} {right.Wrapped(precedence + 1)}", precedence);

            Printed Call(string function) => new Printed($"{function}({left.Code}, {right.Code})", Printed.Primary);

            switch (binary.Operator)
            {
                case BinaryOperator.Add: return Infix("+", Printed.Additive);
                case BinaryOperator.Subtract: return Infix("-", Printed.Additive);
                case BinaryOperator.Multiply: return Infix("*", Printed.Multiplicative);
                case BinaryOperator.Divide:
                    // Real division: one operand must be a double in C#.
                    if (binary.IsIntegral)
                        left = new Printed("(double)" + left.Wrapped(Printed.Unary), Printed.Unary);
                    return Infix("/", Printed.Multiplicative);
                case BinaryOperator.FloorDivide:
                    return binary.IsIntegral ? Call(DslMath + ".FloorDiv")
                        : new Printed($"{MathClass}.Floor({left.Wrapped(Printed.Multiplicative)} / {right.Wrapped(Printed.Unary)})", Printed.Primary);
                case BinaryOperator.Modulo:
                    return binary.IsIntegral ? Call(DslMath + ".Mod") : Infix("%", Printed.Multiplicative);
                case BinaryOperator.Power:
                    return binary.IsIntegral ? Call(DslMath + ".Pow") : Call(MathClass + ".Pow");
                case BinaryOperator.Equal: return Infix("==", Printed.Equality);
                case BinaryOperator.NotEqual: return Infix("!=", Printed.Equality);
                case BinaryOperator.Less: return Infix("<", Printed.Relational);
                case BinaryOperator.LessOrEqual: return Infix("<=", Printed.Relational);
                case BinaryOperator.Greater: return Infix(">", Printed.Relational);
                case BinaryOperator.GreaterOrEqual: return Infix(">=", Printed.Relational);
                case BinaryOperator.And: return Infix("&&", Printed.And);
                default: return Infix("||", Printed.Or);
            }
        }

        private Printed BuiltinCall(BoundBuiltinCall call, Sequence where)
        {
            var arguments = call.Arguments.Select(argument => Print(argument, where)).ToList();
            var joined = string.Join(", ", arguments.Select(a => a.Code));
            switch (call.Function)
            {
                case BuiltinFunction.Min:
                case BuiltinFunction.Max:
                {
                    var name = MathClass + (call.Function == BuiltinFunction.Min ? ".Min" : ".Max");
                    // Math.Min(long, double) would not compile: a float result starts from a double.
                    var first = call.Type == BoundType.Float && call.Arguments[0].Type == BoundType.Int && arguments.Count > 1
                        ? "(double)" + arguments[0].Wrapped(Printed.Unary)
                        : arguments[0].Code;
                    return new Printed(arguments.Skip(1).Aggregate(first, (acc, next) => $"{name}({acc}, {next.Code})"), Printed.Primary);
                }
                case BuiltinFunction.Abs:
                    return new Printed($"{MathClass}.Abs({joined})", Printed.Primary);
                case BuiltinFunction.Ceil:
                    return new Printed($"{DslMath}.Ceil({joined})", Printed.Primary);
                case BuiltinFunction.Floor:
                    return new Printed($"{DslMath}.Floor({joined})", Printed.Primary);
                case BuiltinFunction.Round:
                    return new Printed($"{DslMath}.Round({joined})", Printed.Primary);
                case BuiltinFunction.Len:
                    return new Printed($"{arguments[0].Wrapped(Printed.Primary)}.LongLength", Printed.Primary);
                case BuiltinFunction.Sum:
                    return new Printed($"global::System.Linq.Enumerable.Sum({joined})", Printed.Primary);
                default:
                    return new Printed($"global::NetDsl.Runtime.ShapeMath.Divisible({joined})", Printed.Primary);
            }
        }

        /// <summary>A call of a let function: its typed body becomes a C# local function the first time a call needs it.</summary>
        private Printed FunctionCall(BoundFunctionCall call, Sequence where)
        {
            var arguments = call.Arguments.Select(argument => Code(argument, where)).ToList();
            var function = locals.Function(call.FunctionId);
            var name = function.InstanceNames[call.Instance];
            if (name == null)
            {
                name = locals.Names.Allocate(function.WrittenCount == 0 ? call.Name : call.Name + "_");
                function.InstanceNames[call.Instance] = name;
                var instance = function.Function.Instances[call.Instance];
                var parameters = instance.Parameters.Select(parameter =>
                {
                    var code = locals.Names.Peek(CSharpNames.Escape(parameter.Name));
                    locals.Name(parameter, code);
                    return $"{TypeOf(parameter.Type)} {code}";
                }).ToList();
                var body = Print(instance.Body, where);
                function.Block.LocalFunctions.Add($"{TypeOf(instance.Body.Type)} {name}({string.Join(", ", parameters)}) => {body.Code};");
            }
            return new Printed($"{name}({string.Join(", ", arguments)})", Printed.Primary);
        }
    }
}
