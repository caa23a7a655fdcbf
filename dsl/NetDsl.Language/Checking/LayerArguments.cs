using System.Collections.Generic;
using System.Linq;
using System;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Reads the evaluated arguments of one built-in layer use, converting them to the parameter's type and
    /// reporting values that cannot be used (each at the argument that is wrong).
    /// </summary>
    internal sealed class LayerArguments
    {
        private readonly BoundArguments? bound;
        private readonly ExpressionEvaluator evaluator;
        private readonly Frame frame;
        private readonly string layer;

        public LayerArguments(string layer, BoundArguments? bound, ExpressionEvaluator evaluator, Frame frame)
        {
            this.layer = layer;
            this.bound = bound;
            this.evaluator = evaluator;
            this.frame = frame;
        }

        /// <summary>False when any argument failed to evaluate or convert: the layer's shape is then unknown.</summary>
        public bool Valid { get; private set; } = true;

        public bool Has(string name) => bound?[name] is not null;

        /// <summary>The names of the parameters an argument was given for.</summary>
        public IEnumerable<string> GivenNames =>
            bound == null ? Enumerable.Empty<string>() : bound.ParameterNames.Where((_, i) => bound.ByParameter[i] is not null);

        public Expression? ExpressionOf(string name) => bound?[name]?.Value;

        private EvaluationContext Context => evaluator.Context;

        /// <summary>An int argument; floats are accepted when whole.</summary>
        public long? Int(string name, long? fallback)
        {
            if (bound?[name] is not { } argument)
                return fallback;
            var value = evaluator.Evaluate(argument.Value, frame);
            switch (value)
            {
                case null:
                    return Fail<long>();
                case IntValue integer:
                    return integer.Value;
                case FloatValue real when real.Value == Math.Floor(real.Value):
                    return (long)real.Value;
                case FloatValue:
                    Context.Report(DiagnosticCatalog.NotWholeNumber, frame.Source, argument.Value.Span, What(name), evaluator.Explain(argument.Value, value, frame));
                    return Fail<long>();
                default:
                    evaluator.ReportType(value, argument.Value, frame, What(name), "an int");
                    return Fail<long>();
            }
        }

        /// <summary>An int that must be at least 1 (kernel, stride, dilation, groups...).</summary>
        public long? Positive(string name, long? fallback)
        {
            var value = Int(name, fallback);
            if (value is { } v && v < 1 && ExpressionOf(name) is { } at)
            {
                Context.Report(DiagnosticCatalog.NotPositive, frame.Source, at.Span, $"{layer} {name}", v);
                return Fail<long>();
            }
            return value;
        }

        /// <summary>An int that must not be negative (padding).</summary>
        public long? NonNegative(string name, long? fallback)
        {
            var value = Int(name, fallback);
            if (value is { } v && v < 0 && ExpressionOf(name) is { } at)
            {
                Context.Report(DiagnosticCatalog.NegativeValue, frame.Source, at.Span, $"{layer} {name}", v);
                return Fail<long>();
            }
            return value;
        }

        /// <summary>A channel count: whole, positive and within the limit, with the arithmetic in the message.</summary>
        public long? Channels(string name, long? fallback)
        {
            if (bound?[name] is not { } argument)
                return fallback;
            var value = evaluator.Evaluate(argument.Value, frame);
            var channels = ChannelCount(argument.Value, value, evaluator, frame);
            if (channels is null && value is FloatValue { Value: var number } && number >= 1 && number <= EvaluationContext.MaxChannels
                && number != Math.Floor(number))
            {
                // NN0200 was reported; the nearest whole count is the likely intent, so the statements after go on with it.
                Guessed[name] = (long)Math.Round(number, MidpointRounding.AwayFromZero);
            }
            return channels ?? Fail<long>();
        }

        /// <summary>Channel counts that were not whole, rounded: a best-effort value after NN0200, by parameter.</summary>
        public Dictionary<string, long> Guessed { get; } = new Dictionary<string, long>();

        /// <summary>Whether every argument that failed has a <see cref="Guessed"/> value.</summary>
        public bool OnlyGuessesFailed => failures == Guessed.Count;

        public static long? ChannelCount(Expression at, Value? value, ExpressionEvaluator evaluator, Frame frame)
        {
            var context = evaluator.Context;
            double number;
            switch (value)
            {
                case null:
                    return null;
                case IntValue integer:
                    number = integer.Value;
                    break;
                case FloatValue real:
                    number = real.Value;
                    if (number != Math.Floor(number))
                    {
                        context.Report(DiagnosticCatalog.ChannelsNotWhole, frame.Source, at.Span, evaluator.Explain(at, value, frame));
                        return null;
                    }
                    break;
                default:
                    evaluator.ReportType(value, at, frame, "a channel count", "an int");
                    return null;
            }
            if (number < 1)
            {
                context.Report(DiagnosticCatalog.NotPositive, frame.Source, at.Span, "channel count", evaluator.Explain(at, value, frame));
                return null;
            }
            if (number > EvaluationContext.MaxChannels)
            {
                context.Report(DiagnosticCatalog.TooManyChannels, frame.Source, at.Span, (long)number);
                return null;
            }
            return (long)number;
        }

        public double? Float(string name, double? fallback)
        {
            if (bound?[name] is not { } argument)
                return fallback;
            var value = evaluator.Evaluate(argument.Value, frame);
            switch (value)
            {
                case null:
                    return Fail<double>();
                case IntValue integer:
                    return integer.Value;
                case FloatValue real:
                    return real.Value;
                default:
                    evaluator.ReportType(value, argument.Value, frame, What(name), "a float");
                    return Fail<double>();
            }
        }

        public bool? Bool(string name, bool? fallback)
        {
            if (bound?[name] is not { } argument)
                return fallback;
            var value = evaluator.Evaluate(argument.Value, frame);
            var result = evaluator.ExpectBool(value, argument.Value, frame, What(name));
            return result ?? Fail<bool>();
        }

        public string? Activation(string name, string fallback)
        {
            if (bound?[name] is not { } argument)
                return fallback;
            var value = evaluator.Evaluate(argument.Value, frame);
            if (value is ActivationValue activation)
                return activation.Name;
            if (value is not null)
                evaluator.ReportType(value, argument.Value, frame, What(name), "an activation");
            Valid = false;
            failures++;
            return null;
        }

        private string What(string name) => $"argument '{name}' of {layer}";

        private int failures;

        private T? Fail<T>()
            where T : struct
        {
            Valid = false;
            failures++;
            return null;
        }
    }
}
