using System.Collections.Generic;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Collects the checker's diagnostics in order, once per code and span: a block used ten times, or a
    /// network checked at its defaults and in three variants, reports the same mistake once.
    /// </summary>
    internal sealed class DiagnosticBag
    {
        private readonly List<Diagnostic> diagnostics = new List<Diagnostic>();
        private readonly HashSet<(string Code, string Path, TextSpan Span)> seen = new HashSet<(string, string, TextSpan)>();

        public IReadOnlyList<Diagnostic> Items => diagnostics;

        public void Report(DiagnosticDescriptor descriptor, SourceText source, TextSpan span, params object[] arguments) =>
            ReportWithPrefix("", descriptor, source, span, arguments);

        /// <summary>Reports with a context prefix such as <c>in variant MobileNetV2_025: </c>.</summary>
        public void ReportWithPrefix(string prefix, DiagnosticDescriptor descriptor, SourceText source, TextSpan span, params object[] arguments)
        {
            if (!seen.Add((descriptor.Code, source.Path, span)))
                return;
            diagnostics.Add(new Diagnostic(descriptor, prefix + descriptor.Format(arguments), SourceLocation.From(source, span)));
        }

        /// <summary><c>line 12</c> or <c>line 12 of other.nn</c>: where a first declaration or label is.</summary>
        public static string Where(SourceText source, TextSpan span, SourceText? from = null)
        {
            int line = source.GetLinePosition(span.Start).Line + 1;
            return from is null || from.Path == source.Path ? $"line {line}" : $"line {line} of {source.Path}";
        }
    }
}
