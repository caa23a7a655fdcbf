namespace NetDsl.Diagnostics
{
    /// <summary>
    /// Source-file diagnostics, NN0010–NN0019: a file named on the command line that cannot be read as a
    /// <c>.nn</c> source. See docs/diagnostics.md.
    /// </summary>
    public static partial class DiagnosticCatalog
    {
        /// <summary>The largest <c>.nn</c> file read: far above any real network (the zoo's largest is a few kB), far below what would exhaust memory.</summary>
        public const int MaxSourceBytes = 1024 * 1024;

        public static readonly DiagnosticDescriptor NotARegularFile = new DiagnosticDescriptor(
            "NN0010", DiagnosticSeverity.Error, "Not a regular file",
            "this is a {0}, not a regular file, so it is not read; give the path of a .nn file");

        public static readonly DiagnosticDescriptor SourceTooLarge = new DiagnosticDescriptor(
            "NN0011", DiagnosticSeverity.Error, "File too large",
            "this file has {0:N0} bytes or more; a .nn file may have at most {1:N0} bytes, so it is not read");

        public static readonly DiagnosticDescriptor SourceUnreadable = new DiagnosticDescriptor(
            "NN0012", DiagnosticSeverity.Error, "File cannot be read",
            "this file cannot be read: {0}");
    }
}
