using System;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    /// <summary>
    /// A construct the checker accepted but the bound tree cannot describe (a binder gap, not a user mistake the checker
    /// should have reported); the planner reports it as NN0902 at <see cref="Span"/> and generates nothing for it.
    /// </summary>
    public sealed class BindingException : Exception
    {
        public BindingException(TextSpan span, string message) : base(message) => Span = span;

        public TextSpan Span { get; }
    }
}
