using System.Linq;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    /// <summary>
    /// A declaration as every back end reads it: names resolved, arguments matched and defaults filled in, types known.
    /// Equatable and free of source positions, so an edit that does not change the meaning (a comment, a blank line)
    /// leaves it equal; where things are in the source stays with the syntax tree and the diagnostics.
    /// </summary>
    public abstract record BoundDeclaration(string Name);

    /// <summary>A parameter with its default folded to a literal (null: required).</summary>
    public sealed record BoundParameter(BoundVariable Variable, ParameterType Type, BoundExpression? Default)
    {
        public string Name => Variable.Name;
    }

    public sealed record BoundNetwork(string Name, EquatableArray<BoundParameter> Parameters, BoundBody Body) : BoundDeclaration(Name)
    {
        /// <summary>Its named feature maps by slot (empty when it names none).</summary>
        public EquatableArray<string> Features { get; init; } = EquatableArray<string>.Empty;

        /// <summary>The names of its outputs when it has several (<c>outputs p3, p4</c>, its last statement); empty otherwise.</summary>
        public EquatableArray<string> Outputs =>
            Body.Statements.OfType<BoundOutputs>().FirstOrDefault() is { Features.Count: > 1 } outputs
                ? outputs.Features.Select(feature => feature.Name).ToEquatableArray()
                : EquatableArray<string>.Empty;
    }

    public sealed record BoundBlock(string Name, EquatableArray<BoundParameter> Parameters, BoundBody Body) : BoundDeclaration(Name)
    {
        /// <summary>Its named feature maps by slot (empty when it names none).</summary>
        public EquatableArray<string> Features { get; init; } = EquatableArray<string>.Empty;

        /// <summary>For a block with <c>inputs</c> or <c>outputs</c>: how many feature maps it takes and gives; null otherwise.</summary>
        public BoundGraphArity? Graph
        {
            get
            {
                var inputs = Body.Statements.OfType<BoundInputs>().FirstOrDefault();
                var outputs = Body.Statements.OfType<BoundOutputs>().FirstOrDefault();
                return inputs is null && outputs is null ? null : new BoundGraphArity(inputs?.Features.Count ?? 1, outputs?.Features.Count ?? 1);
            }
        }
    }

    /// <summary>
    /// <c>variant V = Network(args) at CxHxW</c>: the network's parameters with the variant's arguments as their defaults,
    /// and the input it passes (null: the network's own).
    /// </summary>
    public sealed record BoundVariant(string Name, string Network, EquatableArray<BoundParameter> Parameters, BoundShape? Input)
        : BoundDeclaration(Name);
}
