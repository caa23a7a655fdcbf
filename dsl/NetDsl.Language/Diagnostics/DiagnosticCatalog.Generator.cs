namespace NetDsl.Diagnostics
{
    /// <summary>Generator diagnostics, NN0900–NN0999: what the C# emitter reports beyond the checker. See docs/diagnostics.md.</summary>
    public static partial class DiagnosticCatalog
    {
        public static readonly DiagnosticDescriptor NameClash = new DiagnosticDescriptor(
            "NN0901", DiagnosticSeverity.Error, "Name clashes in generated C#",
            "'{0}' would become the C# member '{1}', which {2}; choose another name");

        public static readonly DiagnosticDescriptor NotTranslatable = new DiagnosticDescriptor(
            "NN0902", DiagnosticSeverity.Error, "Cannot generate C#",
            "cannot generate C# for {0}: {1}");

        public static readonly DiagnosticDescriptor LabelInLoop = new DiagnosticDescriptor(
            "NN0903", DiagnosticSeverity.Error, "Label inside a loop",
            "label '{0}' is inside '{1}': a label names one module, but the loop makes one per pass; " +
            "drop the label, or label a group around the loop (e.g. '{0}: {{ {1} ... }}')");
    }
}
