namespace NetDsl.Generator
{
    /// <summary>The names of the pipeline steps, so tests can assert why each step ran (cached, modified, ...).</summary>
    public static class TrackingNames
    {
        public const string Options = nameof(Options);
        public const string Read = nameof(Read);
        public const string Parse = nameof(Parse);
        public const string SyntaxDiagnostics = nameof(SyntaxDiagnostics);
        public const string Plan = nameof(Plan);
        public const string Units = nameof(Units);
        public const string Registry = nameof(Registry);
        public const string SemanticDiagnostics = nameof(SemanticDiagnostics);
    }
}
