namespace NetDsl.Syntax
{
    /// <summary>A parsed <c>.nn</c> file: its text and the declarations that parsed (a declaration with a
    /// syntax error is dropped after its diagnostic; parsing resumes at the next declaration).</summary>
    public sealed record SyntaxTree(SourceText Source, EquatableArray<Declaration> Declarations);

    /// <summary>A name as written, with its span.</summary>
    public sealed record Identifier(string Text, TextSpan Span)
    {
        public override string ToString() => Text;
    }
}
