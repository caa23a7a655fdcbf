using NetDsl.Diagnostics;

namespace NetDsl.Model
{
    /// <summary>
    /// One row of a network's summary: a layer, or a container (block use, group, residual, parallel, path...)
    /// with the totals of the rows under it. <see cref="Path"/> is the state-dict prefix (<c>3.body.1</c>);
    /// <see cref="Depth"/> is 0 for the network's own statements. <see cref="Output"/> is null when an error
    /// made the shape unknown.
    /// </summary>
    public sealed record LayerReport(
        string Path,
        string Kind,
        string Description,
        FeatureShape? Output,
        long Parameters,
        long Macs,
        int Depth,
        SourceLocation Location);

    /// <summary>A network at its defaults (<see cref="VariantName"/> null) or one of its variants, fully evaluated.</summary>
    public sealed record NetworkReport(
        string Name,
        string NetworkName,
        string? VariantName,
        FeatureShape Input,
        FeatureShape? Output,
        EquatableArray<LayerReport> Layers,
        long Parameters,
        long Macs,
        double SizeMiB,
        SourceLocation Location);
}
