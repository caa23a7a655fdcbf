namespace NetDsl.Syntax
{
    /// <summary>A top-level declaration: network, block or variant.</summary>
    public abstract record Declaration(Identifier Name, TextSpan Span);

    /// <summary><c>network Name(params) { input CxHxW ... }</c></summary>
    public sealed record NetworkDeclaration(Identifier Name, EquatableArray<Parameter> Parameters, Body Body, TextSpan Span)
        : Declaration(Name, Span);

    /// <summary><c>block Name(params) { ... }</c></summary>
    public sealed record BlockDeclaration(Identifier Name, EquatableArray<Parameter> Parameters, Body Body, TextSpan Span)
        : Declaration(Name, Span);

    /// <summary><c>variant Name = Network(args) { input CxHxW }</c>; <see cref="Input"/> is null without a body.</summary>
    public sealed record VariantDeclaration(Identifier Name, Identifier Target, EquatableArray<Argument> Arguments, ShapeSyntax? Input, TextSpan Span)
        : Declaration(Name, Span);

    public enum ParameterType
    {
        Int,
        Float,
        Bool,
        /// <summary><c>activation</c>: a built-in activation such as <c>relu</c>, used as a layer in the body.</summary>
        Activation,
    }

    /// <summary><c>name: type = default</c>; <see cref="Default"/> is null for a required parameter.</summary>
    public sealed record Parameter(Identifier Name, ParameterType Type, TextSpan TypeSpan, Expression? Default, TextSpan Span);

    /// <summary>A call argument, positional (<see cref="Name"/> null) or named (<c>k: 3</c>).</summary>
    public sealed record Argument(Identifier? Name, Expression Value, TextSpan Span);

    /// <summary>The statements between braces.</summary>
    public sealed record Body(EquatableArray<Statement> Statements, TextSpan Span);

    /// <summary><c>CxHxW</c> of an <c>input</c> statement or a variant's input.</summary>
    public sealed record ShapeSyntax(Expression Channels, Expression Height, Expression Width, TextSpan Span);
}
