using System;
using System.Globalization;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Syntax;

namespace NetDsl.PyTorch
{
    /// <summary>
    /// Prints bound expressions as Python with the language's meaning: <c>div</c> is <c>//</c> (both round towards negative
    /// infinity), <c>%</c> is Python's (the divisor's sign), <c>^</c> is <c>**</c>, <c>round</c> is Python's (ties to even).
    /// Parentheses only where Python's precedence needs them.
    /// </summary>
    internal sealed class PythonExpressions
    {
        private readonly Func<BoundVariable, string> variableName;

        public PythonExpressions(Func<BoundVariable, string> variableName) => this.variableName = variableName;

        /// <summary>The Python expression for the channels entering the declaration (<c>in</c>).</summary>
        public string InputChannels { get; set; } = "input_shape.channels";

        /// <summary>The Python expression for the channels at the point being printed (<c>channels</c>); null where there is none
        /// (a graph declaration's forward).</summary>
        public string? CurrentChannels { get; set; } = "self.channels";

        /// <summary>Whether a printed expression called <c>math.ceil</c> or <c>math.floor</c> (the module then imports math).</summary>
        public bool UsesMath { get; private set; }

        /// <summary>Runtime helpers the printed expressions called (<c>divisible</c>, <c>whole</c>).</summary>
        public System.Collections.Generic.SortedSet<string> RuntimeNames { get; } = new System.Collections.Generic.SortedSet<string>(StringComparer.Ordinal);

        public string Print(BoundExpression expression) => Print(expression, Precedence.Lowest);

        /// <summary>A float as Python writes it (<c>1.0</c>, <c>1e-05</c>); the checker only accepts finite values.</summary>
        private static string Literal(double value)
        {
            var text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e");
            return text.Contains('.') || text.Contains('e') ? text : text + ".0";
        }

        private string Print(BoundExpression expression, Precedence context)
        {
            var (text, precedence) = Printed(expression);
            return precedence < context ? "(" + text + ")" : text;
        }

        private (string Text, Precedence Precedence) Printed(BoundExpression expression)
        {
            switch (expression)
            {
                case BoundIntLiteral literal:
                    return (literal.Value.ToString(CultureInfo.InvariantCulture), literal.Value < 0 ? Precedence.Unary : Precedence.Atom);
                case BoundFloatLiteral literal:
                    return (Literal(literal.Value), literal.Value < 0 ? Precedence.Unary : Precedence.Atom);
                case BoundBoolLiteral literal:
                    return (literal.Value ? "True" : "False", Precedence.Atom);
                case BoundActivationLiteral activation:
                    return ("\"" + activation.Name + "\"", Precedence.Atom);
                case BoundVariableReference reference:
                    return (variableName(reference.Variable), Precedence.Atom);
                case BoundInputChannels _:
                    return (InputChannels, Precedence.Atom);
                case BoundCurrentChannels _:
                    return (CurrentChannels ?? throw new InvalidOperationException(
                        "the PyTorch back end cannot print 'channels' in a condition or loop count of a network or block with named feature maps"),
                        Precedence.Atom);
                case BoundUnary unary:
                    return unary.Operator == UnaryOperator.Negate
                        ? ("-" + Print(unary.Operand, Precedence.Unary), Precedence.Unary)
                        : ("not " + Print(unary.Operand, Precedence.Not), Precedence.Not);
                case BoundBinary binary:
                    return Binary(binary);
                case BoundConditional conditional:
                    // Python's conditional is right-associative: a nested one in the else branch needs no parentheses.
                    return ($"{Print(conditional.WhenTrue, Precedence.Or)} if {Print(conditional.Condition, Precedence.Or)} else " +
                            Print(conditional.WhenFalse, Precedence.Conditional), Precedence.Conditional);
                case BoundBuiltinCall call:
                    return (BuiltinCall(call), Precedence.Atom);
                case BoundFunctionCall call:
                    return ($"{PythonNames.Identifier(call.Name)}({string.Join(", ", call.Arguments.Select(Print))})", Precedence.Atom);
                case BoundListIndex index:
                    return ($"{Print(index.List, Precedence.Atom)}[{Print(index.Index)}]", Precedence.Atom);
                case BoundTupleItem item:
                    return ($"{Print(item.Tuple, Precedence.Atom)}[{item.Position.ToString(CultureInfo.InvariantCulture)}]", Precedence.Atom);
                case BoundTuple tuple:
                    return (tuple.Items.Count == 1 ? $"({Print(tuple.Items[0])},)" : $"({string.Join(", ", tuple.Items.Select(Print))})", Precedence.Atom);
                case BoundList list:
                    return ($"[{string.Join(", ", list.Items.Select(Print))}]", Precedence.Atom);
                case BoundSamePadding padding:
                    return (SamePadding(padding), Precedence.Multiplicative);
                case BoundWholeNumber whole:
                    RuntimeNames.Add("whole");
                    return ($"whole({Print(whole.Operand)}, \"{whole.What}\")", Precedence.Atom);
                default:
                    throw new InvalidOperationException($"no Python for {expression.GetType().Name}");
            }
        }

        private string SamePadding(BoundSamePadding padding)
        {
            var kernel = Print(padding.Kernel, Precedence.Additive + 1);
            var dilation = padding.Dilation is BoundIntLiteral { Value: 1 } ? null : Print(padding.Dilation, Precedence.Multiplicative);
            return dilation is null ? $"({kernel} - 1) // 2" : $"{dilation} * ({kernel} - 1) // 2";
        }

        private (string, Precedence) Binary(BoundBinary binary)
        {
            var (symbol, precedence) = binary.Operator switch
            {
                BinaryOperator.Add => ("+", Precedence.Additive),
                BinaryOperator.Subtract => ("-", Precedence.Additive),
                BinaryOperator.Multiply => ("*", Precedence.Multiplicative),
                BinaryOperator.Divide => ("/", Precedence.Multiplicative),
                BinaryOperator.FloorDivide => ("//", Precedence.Multiplicative),
                BinaryOperator.Modulo => ("%", Precedence.Multiplicative),
                BinaryOperator.Power => ("**", Precedence.Power),
                BinaryOperator.Equal => ("==", Precedence.Comparison),
                BinaryOperator.NotEqual => ("!=", Precedence.Comparison),
                BinaryOperator.Less => ("<", Precedence.Comparison),
                BinaryOperator.LessOrEqual => ("<=", Precedence.Comparison),
                BinaryOperator.Greater => (">", Precedence.Comparison),
                BinaryOperator.GreaterOrEqual => (">=", Precedence.Comparison),
                BinaryOperator.And => ("and", Precedence.And),
                _ => ("or", Precedence.Or),
            };
            if (precedence == Precedence.Power)
            {
                // Right-associative, and binds tighter than a unary minus on its left: (-a) ** b.
                return ($"{Print(binary.Left, Precedence.Atom)} ** {Print(binary.Right, Precedence.Unary)}", precedence);
            }
            // Left-associative, except comparisons, which chain in Python (a < b < c): both sides bind tighter.
            var right = precedence + 1;
            var left = precedence == Precedence.Comparison ? precedence + 1 : precedence;
            return ($"{Print(binary.Left, left)} {symbol} {Print(binary.Right, right)}", precedence);
        }

        private string BuiltinCall(BoundBuiltinCall call)
        {
            var arguments = call.Arguments.Select(Print).ToList();
            switch (call.Function)
            {
                case BuiltinFunction.Ceil:
                case BuiltinFunction.Floor:
                    UsesMath = true;
                    return $"math.{(call.Function == BuiltinFunction.Ceil ? "ceil" : "floor")}({arguments[0]})";
                case BuiltinFunction.Divisible:
                    RuntimeNames.Add("divisible");
                    return $"divisible({string.Join(", ", arguments)})";
                default:
                    return $"{call.Function.ToString().ToLowerInvariant()}({string.Join(", ", arguments)})";
            }
        }

        /// <summary>Python's operator precedence, lowest first.</summary>
        private enum Precedence
        {
            Lowest,
            Conditional,
            Or,
            And,
            Not,
            Comparison,
            Additive,
            Multiplicative,
            Unary,
            Power,
            Atom,
        }
    }
}
