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
        SourceLocation Location)
    {
        /// <summary>How data flows through the rows under this one (set on containers; <see cref="LayerStructure.Layer"/> otherwise).</summary>
        public LayerStructure Structure { get; init; }

        /// <summary>
        /// Where this row's input comes from when it is not the row before it: the paths of the rows at the same level whose
        /// outputs it reads (a merge reads several; <c>from p3</c> reads p3's), "" for the input of the network or block, "#1", "#2", ...
        /// for the second, third, ... input of a block that takes several.
        /// Null: the row before it (or the input, for the first).
        /// </summary>
        public EquatableArray<string>? Sources { get; init; }
    }

    /// <summary>
    /// How a summary row's inside is wired, for tools that draw the network: the rows alone give the tree
    /// (by <see cref="LayerReport.Depth"/>) but not whether siblings run one after another or side by side.
    /// </summary>
    public enum LayerStructure
    {
        /// <summary>A single layer; no rows under it.</summary>
        Layer,

        /// <summary>A built-in layer made of parts (se, compconv): the rows under it hold its weights, not a path of the data.</summary>
        Composite,

        /// <summary>A block use, group, path or dense layer: the rows under it run one after another.</summary>
        Sequence,

        /// <summary><c>parallel concat</c>: every path gets the input; their outputs are concatenated.</summary>
        ParallelConcat,

        /// <summary><c>parallel add</c>: every path gets the input; their outputs are summed.</summary>
        ParallelAdd,

        /// <summary><c>split</c>: the input's channels are shared out evenly among the paths; their outputs are concatenated.</summary>
        Split,

        /// <summary><c>residual</c> with its skip: the rows under <c>body</c> run in sequence, those under <c>shortcut</c> (if any) project the input; the two are summed.</summary>
        Residual,

        /// <summary><c>dense</c>: each dense layer gets the concatenation of the input and every earlier layer's output.</summary>
        Dense,
    }

    /// <summary>
    /// A network at its defaults (<see cref="VariantName"/> null) or one of its variants, fully evaluated. A network with
    /// several outputs (<c>outputs p3, p4</c>) lists them in <see cref="Outputs"/>, and <see cref="Output"/> is the first.
    /// </summary>
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
        SourceLocation Location)
    {
        /// <summary>The named outputs of a network with several (<c>outputs p3, p4</c>); empty for a network with one output.</summary>
        public EquatableArray<NamedFeature> Outputs { get; init; } = EquatableArray<NamedFeature>.Empty;
    }

    /// <summary>A named feature map and its shape: one output of a network with several.</summary>
    /// <param name="Source">The path of the row that computes it ("" when it is the input).</param>
    public sealed record NamedFeature(string Name, FeatureShape Shape, string Source = "");
}
