using System;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>A construct the emitter cannot turn into C#; the planner reports it as a diagnostic at <see cref="Span"/>.</summary>
    public sealed class EmitException : Exception
    {
        public EmitException(TextSpan span, string message) : base(message) => Span = span;

        public TextSpan Span { get; }
    }
}
