using NetDsl.Syntax;

namespace NetDsl.Diagnostics
{
    public enum DiagnosticSeverity
    {
        Warning,
        Error,
    }

    /// <summary>One entry of the diagnostic catalogue (docs/diagnostics.md): a stable code and a message format.</summary>
    public sealed record DiagnosticDescriptor(string Code, DiagnosticSeverity Severity, string Title, string MessageFormat)
    {
        public string Format(params object[] arguments) =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, arguments);
    }

    /// <summary>Where a diagnostic points: a file, a span and its line/column range.</summary>
    public readonly record struct SourceLocation(string Path, TextSpan Span, LinePosition Start, LinePosition End)
    {
        public static SourceLocation From(SourceText source, TextSpan span) =>
            new SourceLocation(source.Path, span, source.GetLinePosition(span.Start), source.GetLinePosition(span.End));

        public override string ToString() => $"{Path}{Start}";
    }

    /// <summary>An error or warning about a <c>.nn</c> file, with a code, a message and an exact location.</summary>
    public sealed record Diagnostic(DiagnosticDescriptor Descriptor, string Message, SourceLocation Location)
    {
        public string Code => Descriptor.Code;

        public DiagnosticSeverity Severity => Descriptor.Severity;

        public bool IsError => Severity == DiagnosticSeverity.Error;

        /// <summary>The compiler-style line: <c>path(line,col): error NN0123: message</c>.</summary>
        public override string ToString() =>
            $"{Location.Path}{Location.Start}: {(IsError ? "error" : "warning")} {Code}: {Message}";
    }
}
