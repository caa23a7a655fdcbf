using System;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>The reference's conversions: an int is accepted as a float, a float as an int only when whole.</summary>
    internal sealed class ValueConversions
    {
        private readonly ExpressionEvaluator evaluator;

        public ValueConversions(ExpressionEvaluator evaluator) => this.evaluator = evaluator;

        public long? ToInt(Value? value, Expression at, Frame frame, string what)
        {
            switch (value)
            {
                case null:
                    return null;
                case IntValue integer:
                    return integer.Value;
                case FloatValue real when real.Value == Math.Floor(real.Value):
                    return (long)real.Value;
                case FloatValue:
                    evaluator.Context.Report(DiagnosticCatalog.NotWholeNumber, frame.Source, at.Span, what, evaluator.Explain(at, value, frame));
                    return null;
                default:
                    evaluator.ReportType(value, at, frame, what, "an int");
                    return null;
            }
        }

        /// <summary>A value converted to a declared parameter type, or null (reported) when it does not fit.</summary>
        public Value? ToParameter(Value? value, DslType type, Expression at, Frame frame, string what)
        {
            if (value is null)
                return null;
            switch (type)
            {
                case DslType.Int:
                    return ToInt(value, at, frame, what) is { } whole ? new IntValue(whole) : null;
                case DslType.Float when value is IntValue integer:
                    return new FloatValue(integer.Value);
                case DslType.Float when value is FloatValue:
                case DslType.Bool when value is BoolValue:
                case DslType.Activation when value is ActivationValue:
                    return value;
                default:
                    evaluator.ReportType(value, at, frame, what, TypeNames.WithArticle(type));
                    return null;
            }
        }
    }
}
