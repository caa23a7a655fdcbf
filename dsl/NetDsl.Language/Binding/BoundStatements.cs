using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    /// <summary>
    /// One statement of a bound body. Loops stay loops and conditionals stay conditionals: the tree describes the
    /// declaration for every argument, not one evaluation of it. A module a statement adds is the sequence's next
    /// child: named by its <c>Label</c> when it has one, else by its position (0, 1, ...) as the runtime numbers it.
    /// </summary>
    public abstract record BoundStatement;

    public sealed record BoundBody(EquatableArray<BoundStatement> Statements)
    {
        public static readonly BoundBody Empty = new BoundBody(EquatableArray<BoundStatement>.Empty);
    }

    /// <summary>A feature shape channels x height x width, each an int.</summary>
    public sealed record BoundShape(BoundExpression Channels, BoundExpression Height, BoundExpression Width);

    /// <summary><c>input CxHxW</c>: the network's declared input (a variant may pass another).</summary>
    public sealed record BoundInput(BoundShape Shape) : BoundStatement;

    public sealed record BoundLet(BoundVariable Variable, BoundExpression Value) : BoundStatement;

    /// <summary><c>let f(x) = ...</c>, with the typed bodies its calls in scope need.</summary>
    public sealed record BoundFunctionDefinition(BoundFunction Function) : BoundStatement;

    /// <summary>
    /// One parameter of a built-in layer with its value: given in the source (<see cref="IsGiven"/>), or the
    /// catalogue's default filled in (a constant, the auto bias decided, <c>s</c> = <c>k</c>, same padding, the input
    /// channels). <see cref="Value"/> is null only for a <see cref="DefaultRule.Derived"/> default not given, which the
    /// layer's module computes itself (compconv's depth, se's squeeze count from <c>reduce</c> is spelled out).
    /// </summary>
    public sealed record BoundLayerArgument(string Parameter, BoundType Type, BoundExpression? Value, bool IsGiven);

    /// <summary>A built-in layer with all of its catalogue parameters, in catalogue order.</summary>
    /// <param name="Module">The module type it builds (for pooling without <c>k</c>: the global pooling module).</param>
    /// <param name="InputIsFlat">Whether the features entering it are flat (after <c>flatten</c>): bn is then 1-d.</param>
    public sealed record BoundBuiltinLayer(string Name, BuiltinLayerKind Kind, string Module, EquatableArray<BoundLayerArgument> Arguments,
        bool InputIsFlat, string? Label) : BoundStatement
    {
        /// <summary>How many current feature maps the one module serves (more than 1 after <c>from a, b</c>: shared weights).</summary>
        public int SharedBy { get; init; } = 1;

        public BoundLayerArgument this[string parameter]
        {
            get
            {
                foreach (var argument in Arguments)
                {
                    if (argument.Parameter == parameter)
                        return argument;
                }
                throw new System.ArgumentException($"{Name} has no parameter '{parameter}'", nameof(parameter));
            }
        }

        public bool IsGlobalPooling => Kind is BuiltinLayerKind.MaxPool or BuiltinLayerKind.AvgPool && this["k"].Value is null;
    }

    /// <summary>
    /// One argument of a block use. <see cref="SourceOrder"/> is its place among the arguments as written (null: the
    /// block's default, filled in); <see cref="IsNamed"/> whether it was written <c>name: value</c>.
    /// </summary>
    public sealed record BoundBlockArgument(string Parameter, BoundType Type, BoundExpression Value, int? SourceOrder, bool IsNamed);

    /// <summary>A use of a block, with a value for each of its parameters in declaration order.</summary>
    /// <remarks>
    /// <see cref="SharedBy"/>: how many current feature maps a single-feature block serves (shared weights).
    /// <see cref="Graph"/>: for a block with <c>inputs</c> or <c>outputs</c>, how many feature maps it takes and gives.
    /// </remarks>
    public sealed record BoundBlockUse(string Block, EquatableArray<BoundBlockArgument> Arguments, string? Label) : BoundStatement
    {
        public int SharedBy { get; init; } = 1;

        public BoundGraphArity? Graph { get; init; }
    }

    /// <summary>A graph block's feature maps in and out.</summary>
    public sealed record BoundGraphArity(int Inputs, int Outputs);

    /// <summary>A variable holding an activation applied as a layer (<c>for (k, act) in [...] { ... act }</c>).</summary>
    public sealed record BoundActivationLayer(BoundExpression Activation, string? Label) : BoundStatement
    {
        public int SharedBy { get; init; } = 1;
    }

    /// <summary><c>label: { ... }</c></summary>
    public sealed record BoundGroup(string Label, BoundBody Body) : BoundStatement;

    /// <summary><c>repeat n as i { ... }</c>; <see cref="Index"/> is null without <c>as</c>.</summary>
    public sealed record BoundRepeat(BoundExpression Count, BoundVariable? Index, BoundBody Body) : BoundStatement;

    /// <summary>
    /// <c>for x in a..b</c> (<see cref="Range"/>), or <c>for x in list</c> / <c>for (a, b) in table</c>
    /// (<see cref="Source"/>; <see cref="Destructures"/> when each item is a tuple taken apart into the variables).
    /// </summary>
    public sealed record BoundFor(EquatableArray<BoundVariable> Variables, BoundRange? Range, BoundExpression? Source, bool Destructures, BoundBody Body)
        : BoundStatement;

    /// <summary><c>from..to</c>, both ends included.</summary>
    public sealed record BoundRange(BoundExpression From, BoundExpression To);

    /// <summary><c>if c { } else { }</c>; an <c>else if</c> is an else body holding one <see cref="BoundIf"/>.</summary>
    public sealed record BoundIf(BoundExpression Condition, BoundBody Then, BoundBody? Else) : BoundStatement;

    /// <summary>
    /// <c>parallel concat|add { ... }</c> or <c>split { ... }</c>. <see cref="Paths"/> holds paths, and loops, conditionals,
    /// lets and functions around them. <see cref="HasFixedPathCount"/>: the source fixes how many paths there are (only
    /// paths, lets and functions), so the checker has counted them.
    /// </summary>
    public sealed record BoundPaths(bool IsSplit, MergeKind Merge, BoundBody Paths, bool HasFixedPathCount) : BoundStatement;

    /// <summary><c>path label { ... }</c></summary>
    public sealed record BoundPath(string? Label, BoundBody Body) : BoundStatement;

    /// <summary><c>residual(project: p) when c { ... }</c>: <see cref="Project"/> is a bool (false when not given).</summary>
    public sealed record BoundResidual(BoundExpression Project, BoundExpression? When, BoundBody Body) : BoundStatement;

    /// <summary><c>dense n as i { ... }</c></summary>
    public sealed record BoundDense(BoundExpression Count, BoundVariable? Index, BoundBody Body) : BoundStatement;
}

namespace NetDsl.Binding
{
    /// <summary>
    /// A named feature map of a declaration: its name and its slot, the number the runtime keeps it under (0, 1, ... in the
    /// order the names first appear in the declaration).
    /// </summary>
    public sealed record BoundFeature(string Name, int Slot);

    /// <summary><c>-&gt; a, b</c>: the current feature maps are kept under these names.</summary>
    public sealed record BoundNameFeatures(EquatableArray<BoundFeature> Features) : BoundStatement;

    /// <summary><c>from a, b</c>: the named feature maps become the current ones.</summary>
    public sealed record BoundFrom(EquatableArray<BoundFeature> Features) : BoundStatement;

    /// <summary><c>add(a, b)</c>, <c>concat(a, b)</c>, <c>fuse(a, b)</c>: a module that merges named feature maps into the current one.</summary>
    public sealed record BoundMerge(FeatureMergeKind Kind, EquatableArray<BoundFeature> Inputs, string? Label) : BoundStatement;

    /// <summary><c>resize(to: p4)</c>: each current feature map takes p4's spatial size.</summary>
    public sealed record BoundResize(BoundFeature Target, BoundExpression Bilinear) : BoundStatement;

    /// <summary><c>inputs a, b</c>: a graph block names the feature maps it takes.</summary>
    public sealed record BoundInputs(EquatableArray<BoundFeature> Features) : BoundStatement;

    /// <summary><c>outputs a, b</c>: the feature maps a network or block gives, in order.</summary>
    public sealed record BoundOutputs(EquatableArray<BoundFeature> Features) : BoundStatement;
}
