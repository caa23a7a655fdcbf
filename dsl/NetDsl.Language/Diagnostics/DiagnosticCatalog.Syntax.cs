namespace NetDsl.Diagnostics
{
    /// <summary>Syntax diagnostics, NN0001–NN0099: what the parser reports. See docs/diagnostics.md.</summary>
    public static partial class DiagnosticCatalog
    {
        /// <summary>The text does not fit the grammar at this point; the message says what was expected and what was found.</summary>
        public static readonly DiagnosticDescriptor UnexpectedText = new DiagnosticDescriptor(
            "NN0001", DiagnosticSeverity.Error, "Syntax error", "expected {0}, found {1}");

        /// <summary>A character that is not part of the language (e.g. <c>;</c>, <c>@</c>, <c>#</c>, a non-ASCII letter).</summary>
        public static readonly DiagnosticDescriptor UnexpectedCharacter = new DiagnosticDescriptor(
            "NN0002", DiagnosticSeverity.Error, "Unexpected character",
            "unexpected character '{0}' (U+{1:X4}), which is not part of the language; expected {2}");

        public static readonly DiagnosticDescriptor UnterminatedComment = new DiagnosticDescriptor(
            "NN0003", DiagnosticSeverity.Error, "Unterminated block comment",
            "block comment '/*' is never closed with '*/': everything after it, to the end of the file, is ignored");

        public static readonly DiagnosticDescriptor KeywordAsName = new DiagnosticDescriptor(
            "NN0004", DiagnosticSeverity.Error, "Keyword used as a name",
            "'{0}' is a keyword and cannot be used as {1}; choose another name, e.g. '{0}_'");

        public static readonly DiagnosticDescriptor IntegerTooLarge = new DiagnosticDescriptor(
            "NN0005", DiagnosticSeverity.Error, "Integer literal too large",
            "integer literal {0} is too large: integers must lie within ±2^31 (at most 2147483647)");

        public static readonly DiagnosticDescriptor FloatOutOfRange = new DiagnosticDescriptor(
            "NN0006", DiagnosticSeverity.Error, "Float literal out of range",
            "float literal {0} is too large to represent (a float is at most about 1.8e308)");

        public static readonly DiagnosticDescriptor NestingTooDeep = new DiagnosticDescriptor(
            "NN0007", DiagnosticSeverity.Error, "Nesting too deep",
            "{0} is nested more than {1} levels deep; split it with 'let' values or blocks");

        public static readonly DiagnosticDescriptor SpaceBeforeArguments = new DiagnosticDescriptor(
            "NN0008", DiagnosticSeverity.Error, "Space between a layer and its arguments",
            "'(' must follow the layer name directly: write '{0}(' instead of '{0} ('");

        public static readonly DiagnosticDescriptor InternalParserError = new DiagnosticDescriptor(
            "NN0099", DiagnosticSeverity.Error, "Internal parser error",
            "the parser failed unexpectedly ({0}); this is a bug in NetDsl, please report it with this file");
    }
}
