namespace NetDsl.Diagnostics
{
    /// <summary>Generator diagnostics, NN0900–NN0999: what the C# emitter reports beyond the checker (NN0901 and NN0903 became the checker rules NN0135, NN0136 and NN0134). See docs/diagnostics.md.</summary>
    public static partial class DiagnosticCatalog
    {
        public static readonly DiagnosticDescriptor NotTranslatable = new DiagnosticDescriptor(
            "NN0902", DiagnosticSeverity.Error, "Cannot generate C#",
            "cannot generate C# for {0}: {1}");
    }
}
