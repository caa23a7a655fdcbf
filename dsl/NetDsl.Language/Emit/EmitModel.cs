using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    public enum UnitKind
    {
        Network,
        Block,
        Variant,
    }

    /// <summary>What a caller needs to know of a block to construct it: its name and parameters.</summary>
    public sealed record BlockSignature(string Name, EquatableArray<ParameterSignature> Parameters);

    public sealed record ParameterSignature(string Name, ParameterType Type, bool HasDefault);

    /// <summary>The checker's figures for a network or variant at its declared input with its defaults.</summary>
    public sealed record CostFigures(long Parameters, long Macs, string Input, string Output);

    /// <summary>
    /// Everything one generated file depends on, as equatable data: the declaration's syntax (records,
    /// no Roslyn nodes), the network a variant derives from, the signatures of every block, and the
    /// checker's figures. An edit that leaves all of these equal leaves the generated file untouched.
    /// </summary>
    public sealed record EmitUnit(
        string HintName,
        string Namespace,
        string FileName,
        int Line,
        UnitKind Kind,
        Declaration Declaration,
        NetworkDeclaration? BaseNetwork,
        EquatableArray<BlockSignature> Blocks,
        CostFigures? Figures);

    /// <summary>The generator's plan for a whole project: the files to emit and the diagnostics to report.</summary>
    public sealed record EmitPlan(EquatableArray<EmitUnit> Units, EquatableArray<Diagnostic> Diagnostics);
}
