using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary><c>min max abs ceil floor round len sum divisible</c>, as docs/language.md defines them.</summary>
    internal sealed class BuiltinFunctions
    {
        private readonly ExpressionEvaluator evaluator;

        public BuiltinFunctions(ExpressionEvaluator evaluator) => this.evaluator = evaluator;

        public Value? Call(CallExpression call, IReadOnlyList<Value?> arguments, Frame frame)
        {
            if (arguments.Any(a => a is null))
                return null;
            string name = call.Function.Text;
            var (min, max) = Builtins.Functions[name];
            if (arguments.Count < min || (max >= 0 && arguments.Count > max))
                return null;
            switch (name)
            {
                case "min":
                case "max":
                    return Extreme(call, arguments!, frame, name == "max");
                case "abs":
                    return arguments[0] switch
                    {
                        IntValue integer => new IntValue(Math.Abs(integer.Value)),
                        FloatValue real => new FloatValue(Math.Abs(real.Value)),
                        _ => NotANumber(call, 0, arguments[0]!, frame),
                    };
                case "ceil":
                case "floor":
                case "round":
                {
                    if (Number(call, 0, arguments[0]!, frame) is not { } x)
                        return null;
                    double result = name == "ceil" ? Math.Ceiling(x) : name == "floor" ? Math.Floor(x) : Math.Round(x, MidpointRounding.ToEven);
                    return evaluator.Number(result, true, call, frame);
                }
                case "len":
                    return Items(call, arguments[0]!, frame, "len") is { } all ? new IntValue(all.Count) : null;
                case "sum":
                {
                    if (Items(call, arguments[0]!, frame, "sum") is not { } items)
                        return null;
                    if (items.Any(i => i is null))
                        return null;
                    if (items.Any(i => i is not IntValue && i is not FloatValue))
                    {
                        evaluator.ReportType(arguments[0]!, call.Arguments[0].Value, frame, "the argument of sum()", "a list of numbers");
                        return null;
                    }
                    bool integers = items.All(i => i is IntValue);
                    return evaluator.Number(items.Sum(i => i is IntValue n ? n.Value : ((FloatValue)i!).Value), integers, call, frame);
                }
                case "divisible":
                    return Divisible(call, arguments!, frame);
                default:
                    return null;
            }
        }

        private Value? Extreme(CallExpression call, IReadOnlyList<Value> arguments, Frame frame, bool maximum)
        {
            IReadOnlyList<Value?> candidates = arguments;
            if (arguments.Count == 1 && arguments[0] is ListValue or TupleValue)
            {
                candidates = arguments[0] is ListValue list ? list.Items : ((TupleValue)arguments[0]).Items;
                if (candidates.Count == 0)
                {
                    evaluator.Context.Report(DiagnosticCatalog.EmptyList, frame.Source, call.Arguments[0].Value.Span, call.Function.Text + "()");
                    return null;
                }
            }
            Value? best = null;
            double bestNumber = 0;
            for (int i = 0; i < candidates.Count; i++)
            {
                var at = call.Arguments[Math.Min(i, call.Arguments.Count - 1)].Value;
                if (candidates[i] is not { } candidate || evaluator.ExpectNumber(candidate, at, frame, $"an argument of {call.Function.Text}()") is not { } number)
                    return null;
                if (best is null || (maximum ? number > bestNumber : number < bestNumber))
                {
                    best = candidate;
                    bestNumber = number;
                }
            }
            bool anyFloat = candidates.Any(c => c is FloatValue);
            return anyFloat ? new FloatValue(bestNumber) : best;
        }

        /// <summary>torchvision's <c>_make_divisible</c>: <c>r = max(min, floor(x + d/2) // d * d)</c>, plus <c>d</c> when <c>r &lt; 0.9 x</c>.</summary>
        private Value? Divisible(CallExpression call, IReadOnlyList<Value> arguments, Frame frame)
        {
            var x = Number(call, 0, arguments[0], frame);
            var d = Number(call, 1, arguments[1], frame);
            double? minimum = arguments.Count > 2 ? Number(call, 2, arguments[2], frame) : d;
            if (x is null || d is null || minimum is null)
                return null;
            if (d.Value <= 0)
            {
                evaluator.Context.Report(DiagnosticCatalog.DivisibleByNonPositive, frame.Source, call.Arguments[1].Value.Span, arguments[1]);
                return null;
            }
            double rounded = Math.Floor(Math.Floor(x.Value + d.Value / 2) / d.Value) * d.Value;
            double result = Math.Max(minimum.Value, rounded);
            if (result < 0.9 * x.Value)
                result += d.Value;
            return evaluator.Number(Math.Floor(result), true, call, frame);
        }

        private double? Number(CallExpression call, int index, Value value, Frame frame) =>
            evaluator.ExpectNumber(value, call.Arguments[index].Value, frame, $"the argument of {call.Function.Text}()");

        private Value? NotANumber(CallExpression call, int index, Value value, Frame frame)
        {
            evaluator.ReportType(value, call.Arguments[index].Value, frame, $"the argument of {call.Function.Text}()", "a number");
            return null;
        }

        private IReadOnlyList<Value?>? Items(CallExpression call, Value value, Frame frame, string function)
        {
            switch (value)
            {
                case ListValue list:
                    return list.Items;
                case TupleValue tuple:
                    return tuple.Items;
                default:
                    evaluator.ReportType(value, call.Arguments[0].Value, frame, $"the argument of {function}()", "a list");
                    return null;
            }
        }
    }
}
