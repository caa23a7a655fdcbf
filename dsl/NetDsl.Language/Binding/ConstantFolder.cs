using System;
using System.Globalization;
using System.Linq;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    /// <summary>
    /// Evaluates a parameter default or a variant argument to a literal, as a back end's optional parameter needs it
    /// (<c>width: float = 1.0 / 2</c> becomes <c>0.5</c>). Only what needs no context folds:
    /// literals, operators, <c>? :</c> and the built-ins min, max, abs, floor, ceil, round, with the
    /// checker's rules (ints stay ints except under <c>/</c>; div and % floor). Anything else, e.g. another
    /// parameter, is a <see cref="BindingException"/>: a default cannot depend on another argument (the checker's NN0137).
    /// </summary>
    internal static class ConstantFolder
    {
        /// <summary>The literal of <paramref name="expression"/> as a parameter of <paramref name="type"/>.</summary>
        public static BoundExpression Literal(Expression expression, ParameterType type)
        {
            if (type == ParameterType.Activation)
                return expression is NameExpression name && Model.LayerCatalogue.Activation(name.Name.Text) != null
                    ? new BoundActivationLiteral(name.Name.Text)
                    : throw new BindingException(expression.Span, "an activation parameter takes the name of an activation, such as relu");
            var value = Fold(expression);
            switch (type)
            {
                case ParameterType.Bool when value is bool boolean:
                    return new BoundBoolLiteral(boolean);
                case ParameterType.Int when value is long integer:
                    return new BoundIntLiteral(integer);
                case ParameterType.Int when value is double real && real == Math.Floor(real) && Math.Abs(real) <= int.MaxValue:
                    return new BoundIntLiteral((long)real);
                case ParameterType.Int:
                    throw new BindingException(expression.Span, $"an int parameter needs a whole number, but this is {Describe(value)}");
                case ParameterType.Float when value is long integer:
                    return new BoundFloatLiteral(integer);
                case ParameterType.Float when value is double real:
                    return new BoundFloatLiteral(real);
                default:
                    throw new BindingException(expression.Span, $"a {type.ToString().ToLowerInvariant()} parameter cannot take {Describe(value)}");
            }
        }

        private static object Fold(Expression expression)
        {
            switch (expression)
            {
                case NumberLiteral number:
                    return number.IsInteger ? (object)(long)number.Value : number.Value;
                case BooleanLiteral boolean:
                    return boolean.Value;
                case UnaryExpression { Operator: UnaryOperator.Not } not:
                    return !Bool(not.Operand);
                case UnaryExpression negate:
                    return Fold(negate.Operand) switch
                    {
                        long integer => -integer,
                        double real => (object)-real,
                        _ => throw NotANumber(negate.Operand),
                    };
                case ConditionalExpression conditional:
                    return Bool(conditional.Condition) ? Fold(conditional.WhenTrue) : Fold(conditional.WhenFalse);
                case BinaryExpression binary:
                    return Binary(binary);
                case CallExpression call:
                    return Call(call);
                default:
                    throw new BindingException(expression.Span,
                        "a default value (or a variant's argument) must be a constant such as 0.5, -1, 1.0 / 2 or true; it cannot depend on other parameters");
            }
        }

        private static object Binary(BinaryExpression binary)
        {
            switch (binary.Operator)
            {
                case BinaryOperator.And:
                    return Bool(binary.Left) && Bool(binary.Right);
                case BinaryOperator.Or:
                    return Bool(binary.Left) || Bool(binary.Right);
                case BinaryOperator.Equal:
                    return Equals(Normalize(Fold(binary.Left)), Normalize(Fold(binary.Right)));
                case BinaryOperator.NotEqual:
                    return !Equals(Normalize(Fold(binary.Left)), Normalize(Fold(binary.Right)));
            }
            var left = Fold(binary.Left);
            var right = Fold(binary.Right);
            if (left is long a && right is long b)
            {
                switch (binary.Operator)
                {
                    case BinaryOperator.Add: return a + b;
                    case BinaryOperator.Subtract: return a - b;
                    case BinaryOperator.Multiply: return a * b;
                    case BinaryOperator.FloorDivide: return Runtime(binary, () => FloorDiv(a, b));
                    case BinaryOperator.Modulo: return Runtime(binary, () => a - FloorDiv(a, b) * b);
                    case BinaryOperator.Power when b >= 0: return (long)Math.Pow(a, b);
                }
            }
            var x = Number(left, binary.Left);
            var y = Number(right, binary.Right);
            switch (binary.Operator)
            {
                case BinaryOperator.Add: return x + y;
                case BinaryOperator.Subtract: return x - y;
                case BinaryOperator.Multiply: return x * y;
                case BinaryOperator.Divide: return y == 0 ? throw new BindingException(binary.Span, "division by zero") : x / y;
                case BinaryOperator.FloorDivide: return y == 0 ? throw new BindingException(binary.Span, "division by zero") : Math.Floor(x / y);
                case BinaryOperator.Modulo: return y == 0 ? throw new BindingException(binary.Span, "division by zero") : x - Math.Floor(x / y) * y;
                case BinaryOperator.Power: return Math.Pow(x, y);
                case BinaryOperator.Less: return x < y;
                case BinaryOperator.LessOrEqual: return x <= y;
                case BinaryOperator.Greater: return x > y;
                default: return x >= y;
            }
        }

        private static object Call(CallExpression call)
        {
            var arguments = call.Arguments.Select(argument => Fold(argument.Value)).ToList();
            var integers = arguments.All(argument => argument is long);
            var numbers = call.Arguments.Select((argument, i) => Number(arguments[i], argument.Value)).ToList();
            switch (call.Function.Text)
            {
                case "min" when numbers.Count > 0:
                    return integers ? (object)(long)numbers.Min() : numbers.Min();
                case "max" when numbers.Count > 0:
                    return integers ? (object)(long)numbers.Max() : numbers.Max();
                case "abs" when numbers.Count == 1:
                    return integers ? (object)(long)Math.Abs(numbers[0]) : Math.Abs(numbers[0]);
                case "floor" when numbers.Count == 1:
                    return (long)Math.Floor(numbers[0]);
                case "ceil" when numbers.Count == 1:
                    return (long)Math.Ceiling(numbers[0]);
                case "round" when numbers.Count == 1:
                    return (long)Math.Round(numbers[0], MidpointRounding.ToEven);
                default:
                    throw new BindingException(call.Function.Span,
                        $"'{call.Function.Text}(...)' cannot be evaluated for a default value; use a literal or min, max, abs, floor, ceil or round");
            }
        }

        private static long FloorDiv(long a, long b)
        {
            var quotient = a / b;
            return a % b != 0 && (a < 0) != (b < 0) ? quotient - 1 : quotient;
        }

        private static object Runtime(BinaryExpression binary, Func<long> compute)
        {
            try
            {
                return compute();
            }
            catch (DivideByZeroException)
            {
                throw new BindingException(binary.Span, "division by zero");
            }
        }

        private static bool Bool(Expression expression) =>
            Fold(expression) is bool value ? value : throw new BindingException(expression.Span, "expected true or false here");

        private static double Number(object value, Expression at) => value switch
        {
            long integer => integer,
            double real => real,
            _ => throw NotANumber(at),
        };

        private static object Normalize(object value) => value is long integer ? (double)integer : value;

        private static BindingException NotANumber(Expression at) => new BindingException(at.Span, "expected a number here");

        private static string Describe(object value) => value switch
        {
            bool boolean => boolean ? "true" : "false",
            double real => real.ToString("0.0##", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }
}
