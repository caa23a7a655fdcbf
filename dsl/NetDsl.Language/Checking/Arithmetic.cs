using System;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// The numeric operators with the reference's rules: <c>int op int</c> stays an int except <c>/</c>;
    /// <c>//</c> and <c>%</c> floor like Python; results beyond +/-2^31 are errors, checked before they overflow.
    /// </summary>
    internal static class Arithmetic
    {
        public static Value? Apply(BinaryExpression binary, double left, double right, bool integers, Frame frame, ExpressionEvaluator evaluator)
        {
            var context = evaluator.Context;
            string text = $"{FormatOperand(left, integers)} {binary.Operator.Text()} {FormatOperand(right, integers)}";
            switch (binary.Operator)
            {
                case BinaryOperator.Add:
                    return evaluator.Number(left + right, integers, binary, frame);
                case BinaryOperator.Subtract:
                    return evaluator.Number(left - right, integers, binary, frame);
                case BinaryOperator.Multiply:
                    return evaluator.Number(left * right, integers, binary, frame);
                case BinaryOperator.Divide:
                    if (right == 0)
                        return DivisionByZero(context, frame, binary, text);
                    return evaluator.Number(left / right, false, binary, frame);
                case BinaryOperator.FloorDivide:
                    if (right == 0)
                        return DivisionByZero(context, frame, binary, text);
                    return evaluator.Number(integers ? FloorDivide((long)left, (long)right) : Math.Floor(left / right), integers, binary, frame);
                case BinaryOperator.Modulo:
                    if (right == 0)
                        return DivisionByZero(context, frame, binary, text);
                    return evaluator.Number(integers ? (long)left - FloorDivide((long)left, (long)right) * (long)right : left - Math.Floor(left / right) * right, integers, binary, frame);
                case BinaryOperator.Power:
                    return Power(binary, left, right, integers, frame, evaluator);
                case BinaryOperator.Less:
                    return new BoolValue(left < right);
                case BinaryOperator.LessOrEqual:
                    return new BoolValue(left <= right);
                case BinaryOperator.Greater:
                    return new BoolValue(left > right);
                case BinaryOperator.GreaterOrEqual:
                    return new BoolValue(left >= right);
                default:
                    return null;
            }
        }

        private static string FormatOperand(double value, bool integers) =>
            integers ? ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture) : FloatValue.Format(value);

        private static Value? DivisionByZero(EvaluationContext context, Frame frame, BinaryExpression binary, string text)
        {
            context.Report(DiagnosticCatalog.DivisionByZero, frame.Source, binary.Span, text);
            return null;
        }

        private static long FloorDivide(long left, long right)
        {
            long quotient = left / right;
            return (left % right != 0) && ((left < 0) != (right < 0)) ? quotient - 1 : quotient;
        }

        private static Value? Power(BinaryExpression binary, double left, double right, bool integers, Frame frame, ExpressionEvaluator evaluator)
        {
            if (integers && right < 0)
            {
                evaluator.Context.Report(DiagnosticCatalog.NegativeExponent, frame.Source, binary.Right.Span, (long)right);
                return null;
            }
            double result = Math.Pow(left, right);
            if (!evaluator.Limit(result, binary, frame))
                return null;
            if (!integers)
                return new FloatValue(result);

            // Exact for ints: the double check above bounds the result, so repeated squaring cannot overflow a long.
            long exact = 1, factor = (long)left, exponent = (long)right;
            while (exponent > 0)
            {
                if ((exponent & 1) == 1)
                    exact *= factor;
                exponent >>= 1;
                if (exponent > 0)
                    factor = Math.Abs(factor) > EvaluationContext.MaxMagnitude ? factor : factor * factor;
            }
            return new IntValue(exact);
        }
    }
}
