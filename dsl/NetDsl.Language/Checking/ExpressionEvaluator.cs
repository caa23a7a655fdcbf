using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Evaluates expressions to values. A null result means "unknown": an error was reported (or follows from
    /// one) and callers stay quiet about it.
    /// </summary>
    internal sealed class ExpressionEvaluator
    {
        private readonly EvaluationContext context;
        private readonly BuiltinFunctions functions;

        public ExpressionEvaluator(EvaluationContext context)
        {
            this.context = context;
            functions = new BuiltinFunctions(this);
        }

        public EvaluationContext Context => context;

        public Value? Evaluate(Expression expression, Frame frame)
        {
            context.Step();
            switch (expression)
            {
                case NumberLiteral number:
                    if (number.IsInteger)
                        return Limit(number.Value, number, frame) ? new IntValue((long)number.Value) : null;
                    return Limit(number.Value, number, frame) ? new FloatValue(number.Value) : null;
                case BooleanLiteral boolean:
                    return new BoolValue(boolean.Value);
                case NameExpression name:
                    return EvaluateName(name, frame);
                case UnaryExpression unary:
                    return EvaluateUnary(unary, frame);
                case BinaryExpression binary:
                    return EvaluateBinary(binary, frame);
                case ConditionalExpression conditional:
                {
                    var condition = Evaluate(conditional.Condition, frame);
                    if (ExpectBool(condition, conditional.Condition, frame, "a condition") is not { } chosen)
                        return null;
                    return Evaluate(chosen ? conditional.WhenTrue : conditional.WhenFalse, frame);
                }
                case CallExpression call:
                    return EvaluateCall(call, frame);
                case IndexExpression index:
                    return EvaluateIndex(index, frame);
                case TupleExpression tuple:
                    return new TupleValue(tuple.Items.Select(item => Evaluate(item, frame)).ToEquatableArray());
                case ListExpression list:
                    return new ListValue(list.Items.Select(item => Evaluate(item, frame)).ToEquatableArray());
                default:
                    return null;
            }
        }

        /// <summary>Reports a number beyond +/-2^31 (or not finite) and returns false.</summary>
        public bool Limit(double value, Expression at, Frame frame)
        {
            if (!double.IsNaN(value) && Math.Abs(value) <= EvaluationContext.MaxMagnitude)
                return true;
            context.Report(DiagnosticCatalog.ValueTooLarge, frame.Source, at.Span, double.IsNaN(value) ? "NaN" : value.ToString(Math.Abs(value) < 1e15 ? "0.###" : "G6", System.Globalization.CultureInfo.InvariantCulture));
            return false;
        }

        public Value? Number(double value, bool isInteger, Expression at, Frame frame)
        {
            if (!Limit(value, at, frame))
                return null;
            return isInteger ? new IntValue((long)value) : new FloatValue(value);
        }

        public bool? ExpectBool(Value? value, Expression at, Frame frame, string what)
        {
            if (value is null)
                return null;
            if (value is BoolValue boolean)
                return boolean.Value;
            ReportType(value, at, frame, what, "a bool");
            return null;
        }

        /// <summary>A number as a double, or null (reported) when the value is not a number.</summary>
        public double? ExpectNumber(Value? value, Expression at, Frame frame, string what)
        {
            switch (value)
            {
                case null:
                    return null;
                case IntValue integer:
                    return integer.Value;
                case FloatValue real:
                    return real.Value;
                default:
                    ReportType(value, at, frame, what, "a number");
                    return null;
            }
        }

        public void ReportType(Value value, Expression at, Frame frame, string what, string expected) =>
            context.Report(DiagnosticCatalog.TypeMismatch, frame.Source, at.Span, what, expected, $"'{frame.Source.ToString(at.Span)}'", value.Describe());

        /// <summary>
        /// How a message shows the computation behind a value: <c>64 / 3 = 21.333</c> for an operation,
        /// <c>21.5</c> for a literal, <c>c * w = 19.2</c> otherwise.
        /// </summary>
        public string Explain(Expression expression, Value value, Frame frame)
        {
            if (expression is NumberLiteral)
                return value.ToString();
            if (expression is BinaryExpression binary && Evaluate(binary.Left, frame) is { } left && Evaluate(binary.Right, frame) is { } right)
                return $"{left} {binary.Operator.Text()} {right} = {value}";
            return $"{frame.Source.ToString(expression.Span)} = {value}";
        }

        private Value? EvaluateName(NameExpression name, Frame frame)
        {
            var symbol = context.Model.GetSymbol(name);
            switch (symbol?.Kind)
            {
                case SymbolKind.In:
                    return frame.In;
                case SymbolKind.Channels:
                    return frame.Current is { } shape ? new IntValue(shape.Channels) : null;
                case SymbolKind.Activation:
                    return new ActivationValue(symbol.Name);
                case SymbolKind.Parameter:
                case SymbolKind.Let:
                case SymbolKind.LoopVariable:
                case SymbolKind.FunctionParameter:
                    return frame.Get(symbol);
                default:
                    return null;
            }
        }

        private Value? EvaluateUnary(UnaryExpression unary, Frame frame)
        {
            var operand = Evaluate(unary.Operand, frame);
            if (unary.Operator == UnaryOperator.Not)
                return ExpectBool(operand, unary.Operand, frame, "the operand of !") is { } value ? new BoolValue(!value) : null;
            return operand switch
            {
                IntValue integer => new IntValue(-integer.Value),
                FloatValue real => new FloatValue(-real.Value),
                null => null,
                _ => ReportAndForget(operand, unary.Operand, frame, "the operand of -"),
            };
        }

        private Value? ReportAndForget(Value value, Expression at, Frame frame, string what)
        {
            ReportType(value, at, frame, what, "a number");
            return null;
        }

        private Value? EvaluateBinary(BinaryExpression binary, Frame frame)
        {
            string op = binary.Operator.Text();
            if (binary.Operator is BinaryOperator.And or BinaryOperator.Or)
            {
                var left = ExpectBool(Evaluate(binary.Left, frame), binary.Left, frame, $"the left side of {op}");
                if (left is null)
                    return null;
                if (binary.Operator == BinaryOperator.And ? !left.Value : left.Value)
                    return new BoolValue(left.Value);
                var right = ExpectBool(Evaluate(binary.Right, frame), binary.Right, frame, $"the right side of {op}");
                return right is null ? null : new BoolValue(right.Value);
            }

            var leftValue = Evaluate(binary.Left, frame);
            var rightValue = Evaluate(binary.Right, frame);
            if (leftValue is null || rightValue is null)
                return null;
            if (binary.Operator is BinaryOperator.Equal or BinaryOperator.NotEqual)
            {
                bool equal = leftValue is IntValue or FloatValue && rightValue is IntValue or FloatValue
                    ? ToDouble(leftValue) == ToDouble(rightValue)
                    : leftValue.Equals(rightValue);
                return new BoolValue(equal == (binary.Operator == BinaryOperator.Equal));
            }

            var l = ExpectNumber(leftValue, binary.Left, frame, $"the left side of {op}");
            var r = ExpectNumber(rightValue, binary.Right, frame, $"the right side of {op}");
            if (l is null || r is null)
                return null;
            bool integers = leftValue is IntValue && rightValue is IntValue;
            return Arithmetic.Apply(binary, l.Value, r.Value, integers, frame, this);
        }

        private static double ToDouble(Value value) => value is IntValue integer ? integer.Value : ((FloatValue)value).Value;

        private Value? EvaluateIndex(IndexExpression index, Frame frame)
        {
            var target = Evaluate(index.Target, frame);
            var position = Evaluate(index.Index, frame);
            if (target is null || position is null)
                return null;
            if (target is not SequenceValue { Items: var items })
            {
                context.Report(DiagnosticCatalog.NotIndexable, frame.Source, index.Target.Span, $"'{frame.Source.ToString(index.Target.Span)}'", target.Describe());
                return null;
            }
            if (position is not IntValue at)
            {
                ReportType(position, index.Index, frame, "an index", "an int");
                return null;
            }
            if (at.Value < 0 || at.Value >= items.Count)
            {
                context.Report(DiagnosticCatalog.IndexOutOfRange, frame.Source, index.Index.Span, at.Value, target, items.Count);
                return null;
            }
            return items[(int)at.Value];
        }

        private Value? EvaluateCall(CallExpression call, Frame frame)
        {
            var symbol = context.Model.GetSymbol(call);
            if (symbol is null)
                return null;
            if (symbol.Kind == SymbolKind.BuiltinFunction)
            {
                var arguments = call.Arguments.Select(a => Evaluate(a.Value, frame)).ToList();
                return functions.Call(call, arguments, frame);
            }

            if (!context.Bindings.Functions.TryGetValue(symbol, out var function) || context.Bindings.ArgumentsOf(call) is not { } bound)
                return null;
            var values = new Value?[bound.ByParameter.Length];
            for (int i = 0; i < values.Length; i++)
                values[i] = bound.ByParameter[i] is { } argument ? Evaluate(argument.Value, frame) : null;
            if (context.CallDepth >= EvaluationContext.MaxCallDepth)
            {
                context.Report(DiagnosticCatalog.CallTooDeep, frame.Source, call.Function.Span, call.Function.Text);
                return null;
            }

            // Bind the parameters in the caller's frame (functions see the enclosing lets), restoring afterwards.
            var parameters = function.Parameters;
            var saved = new (Symbol? Symbol, bool Had, Value? Old)[parameters.Count];
            for (int i = 0; i < parameters.Count; i++)
            {
                if (context.Model.GetDeclaredSymbol(parameters[i]) is not { } parameter)
                    continue;
                bool had = frame.TryGet(parameter, out var old);
                saved[i] = (parameter, had, old);
                frame.Set(parameter, values[i]);
            }
            context.CallDepth++;
            try
            {
                return Evaluate(function.Body, frame);
            }
            finally
            {
                context.CallDepth--;
                foreach (var (parameter, had, old) in saved)
                {
                    if (parameter is null)
                        continue;
                    if (had)
                        frame.Set(parameter, old);
                    else
                        frame.Remove(parameter);
                }
            }
        }
    }
}
