using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;
using NetDslDiagnostic = NetDsl.Diagnostics.Diagnostic;
using NetDslSeverity = NetDsl.Diagnostics.DiagnosticSeverity;

namespace NetDsl.Generator
{
    /// <summary>
    /// A NetDsl diagnostic as plain, equatable data (no Roslyn Location, which does not compare by value),
    /// turned into a Roslyn diagnostic only when reported, located in the <c>.nn</c> file with the
    /// NetDsl code as the Roslyn id: <c>Models/X.nn(4,17): error NN0201: ...</c>.
    /// </summary>
    public sealed record DiagnosticInfo(
        string Code, bool IsError, string Title, string Message, string Path,
        int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
    {
        public const string Category = "NetDsl";

        public static DiagnosticInfo From(NetDslDiagnostic diagnostic)
        {
            var location = diagnostic.Location;
            return new DiagnosticInfo(
                diagnostic.Code, diagnostic.Severity == NetDslSeverity.Error, diagnostic.Descriptor.Title, diagnostic.Message,
                location.Path, location.Span.Start, location.Span.Length,
                location.Start.Line, location.Start.Column, location.End.Line, location.End.Column);
        }

        public Microsoft.CodeAnalysis.Diagnostic ToRoslyn()
        {
            var severity = IsError ? RoslynSeverity.Error : RoslynSeverity.Warning;
            // The message is passed as an argument, never as a format: a '{' in it must not be parsed.
            var descriptor = new Microsoft.CodeAnalysis.DiagnosticDescriptor(Code, Title, "{0}", Category, severity, isEnabledByDefault: true);
            var location = Location.Create(
                Path,
                new TextSpan(Start, Length),
                new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
            return Microsoft.CodeAnalysis.Diagnostic.Create(descriptor, location, Message);
        }
    }
}
