using System;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>Thrown inside the evaluator to stop a network that hit a global limit; caught by <see cref="NetworkEvaluator"/>.</summary>
    internal sealed class EvaluationAbortedException : Exception
    {
    }

    /// <summary>
    /// The state of evaluating one network instance (defaults or a variant): the limits, the work done so
    /// far, and where diagnostics go (prefixed with the variant's name).
    /// </summary>
    internal sealed class EvaluationContext
    {
        public const int MaxLoopCount = 10_000;
        public const int MaxLayers = 100_000;
        public const int MaxCallDepth = 64;
        public const long MaxMagnitude = 1L << 31;
        public const long MaxChannels = 1_000_000;
        public const long MaxSpatial = 65_536;

        /// <summary>Statements plus expression nodes evaluated: bounds the work of loops that make no layers (100,000 plain layers take about 200,000).</summary>
        public const long MaxSteps = 300_000;

        private readonly DiagnosticBag diagnostics;
        private readonly SourceText networkSource;
        private readonly Identifier networkName;
        private long steps;
        private int layers;

        public EvaluationContext(SemanticModel model, BindingTable bindings, DiagnosticBag diagnostics, string prefix, SourceText networkSource, Identifier networkName)
        {
            Model = model;
            Bindings = bindings;
            this.diagnostics = diagnostics;
            Prefix = prefix;
            this.networkSource = networkSource;
            this.networkName = networkName;
        }

        public SemanticModel Model { get; }

        public BindingTable Bindings { get; }

        /// <summary><c>in variant X: </c> or empty.</summary>
        public string Prefix { get; }

        /// <summary>Nested block uses and function calls.</summary>
        public int CallDepth { get; set; }

        public bool HasErrors { get; private set; }

        public void Report(DiagnosticDescriptor descriptor, SourceText source, TextSpan span, params object[] arguments)
        {
            HasErrors |= descriptor.Severity == DiagnosticSeverity.Error;
            diagnostics.ReportWithPrefix(Prefix, descriptor, source, span, arguments);
        }

        public void Step()
        {
            if (++steps > MaxSteps)
            {
                Report(DiagnosticCatalog.TooMuchWork, networkSource, networkName.Span, networkName.Text);
                throw new EvaluationAbortedException();
            }
        }

        public void CountLayer()
        {
            if (++layers > MaxLayers)
            {
                Report(DiagnosticCatalog.TooManyLayers, networkSource, networkName.Span, networkName.Text);
                throw new EvaluationAbortedException();
            }
        }
    }
}
