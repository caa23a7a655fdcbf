using NetDsl.Diagnostics;
using NetDsl.Binding;

namespace NetDsl.Emit
{
    public enum UnitKind
    {
        Network,
        Block,
        Variant,
    }

    /// <summary>The checker's figures for a network or variant at its declared input with its defaults.</summary>
    public sealed record CostFigures(long Parameters, long Macs, string Input, string Output)
    {
        /// <summary>
        /// The checker's whole summary, which the class carries as its static <c>Figures</c>; null when the
        /// figures come from bare totals (then the class has only its doc comment).
        /// </summary>
        public SummaryFigures? Summary { get; init; }
    }

    /// <summary>A network's or variant's summary as the checker reports it, without source locations (so moving a line re-emits nothing).</summary>
    public sealed record SummaryFigures(
        string Name,
        string Network,
        string? Variant,
        Model.FeatureShape Input,
        Model.FeatureShape Output,
        double SizeMiB,
        EquatableArray<SummaryRow> Rows)
    {
        /// <summary>The names of a network's outputs when it has several; empty otherwise.</summary>
        public EquatableArray<string> Outputs { get; init; } = EquatableArray<string>.Empty;
    }

    /// <summary>One row of <see cref="SummaryFigures"/>: a layer or container, as <c>netdsl summary</c> prints it.</summary>
    public sealed record SummaryRow(string Path, string Kind, string Description, int Depth, Model.FeatureShape Output, long Parameters, long Macs);

    /// <summary>
    /// The project's model registry (<c>NetDslModels</c>): every network and variant that can be built with its
    /// default arguments, by declaration name, in declaration order.
    /// </summary>
    public sealed record RegistryUnit(string Namespace, EquatableArray<string> Models);

    /// <summary>
    /// Everything one generated file depends on, as equatable data: the declaration's bound tree (which holds what it
    /// needs of the blocks it uses and of a variant's network) and the checker's figures. An edit that leaves all of
    /// these equal leaves the generated file untouched. Nothing here is a source position (not even the declaration's
    /// line, which the doc comment leaves out), so a comment or blank line added above re-emits nothing.
    /// </summary>
    public sealed record EmitUnit(
        string HintName,
        string Namespace,
        string FileName,
        BoundDeclaration Declaration,
        CostFigures? Figures)
    {
        /// <summary>For a variant: whether its network's class has a static <c>Figures</c> (not when a parameter has no default), which the variant's hides.</summary>
        public bool BaseNetworkHasFigures { get; init; }

        public UnitKind Kind => Declaration switch
        {
            BoundNetwork _ => UnitKind.Network,
            BoundBlock _ => UnitKind.Block,
            _ => UnitKind.Variant,
        };
    }

    /// <summary>The generator's plan for a whole project: the files to emit and the diagnostics to report.</summary>
    public sealed record EmitPlan(EquatableArray<EmitUnit> Units, EquatableArray<Diagnostic> Diagnostics)
    {
        /// <summary>The registry to emit beside the units; null when no unit qualifies or a declaration takes its name.</summary>
        public RegistryUnit? Registry { get; init; }
    }
}
