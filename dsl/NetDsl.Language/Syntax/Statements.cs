namespace NetDsl.Syntax
{
    public abstract record Statement(TextSpan Span);

    /// <summary><c>input 3x224x224</c></summary>
    public sealed record InputStatement(ShapeSyntax Shape, TextSpan Span) : Statement(Span);

    /// <summary><c>let name = value</c></summary>
    public sealed record LetStatement(Identifier Name, Expression Value, TextSpan Span) : Statement(Span);

    /// <summary><c>let name(a, b) = body</c></summary>
    public sealed record FunctionStatement(Identifier Name, EquatableArray<Identifier> Parameters, Expression Body, TextSpan Span)
        : Statement(Span);

    /// <summary>
    /// A layer, a block use, or a let-bound activation applied to the current features:
    /// <c>bn</c>, <c>conv(32, k: 3)</c>, <c>InvertedResidual(24, expand: 6) as first</c>.
    /// <see cref="Arguments"/> is null when the name has no parentheses.
    /// </summary>
    public sealed record LayerStatement(Identifier Name, EquatableArray<Argument>? Arguments, Identifier? Label, TextSpan Span)
        : Statement(Span);

    /// <summary><c>label: { ... }</c></summary>
    public sealed record GroupStatement(Identifier Label, Body Body, TextSpan Span) : Statement(Span);

    /// <summary><c>repeat n as i { ... }</c>; <see cref="Index"/> is null without <c>as</c>.</summary>
    public sealed record RepeatStatement(Expression Count, Identifier? Index, Body Body, TextSpan Span) : Statement(Span);

    /// <summary><c>for x in a..b { }</c> or <c>for (a, b) in [...] { }</c>.</summary>
    public sealed record ForStatement(ForPattern Pattern, Expression Source, Body Body, TextSpan Span) : Statement(Span);

    /// <summary>The loop variable(s): one name, or a parenthesised tuple of names.</summary>
    public sealed record ForPattern(EquatableArray<Identifier> Names, bool IsTuple, TextSpan Span);

    /// <summary><c>if c { } else { }</c>; an <c>else if</c> is an else body holding one <see cref="IfStatement"/>.</summary>
    public sealed record IfStatement(Expression Condition, Body Then, Body? Else, TextSpan Span) : Statement(Span);

    public enum MergeKind
    {
        Concat,
        Add,
    }

    /// <summary><c>parallel concat|add { path { } ... }</c>: every path sees the input.</summary>
    public sealed record ParallelStatement(MergeKind Merge, Body Paths, TextSpan Span) : Statement(Span);

    /// <summary><c>split { path { } ... }</c>: channels divided equally among the paths, outputs concatenated.</summary>
    public sealed record SplitStatement(Body Paths, TextSpan Span) : Statement(Span);

    /// <summary><c>path { ... }</c> or <c>path label { ... }</c> inside parallel/split (possibly inside for/if/repeat there).</summary>
    public sealed record PathStatement(Identifier? Label, Body Body, TextSpan Span) : Statement(Span);

    /// <summary><c>residual(project: true) when cond { ... }</c>; options and condition are optional.</summary>
    public sealed record ResidualStatement(EquatableArray<Argument> Options, Expression? When, Body Body, TextSpan Span)
        : Statement(Span);

    /// <summary><c>dense n as i { ... }</c></summary>
    public sealed record DenseStatement(Expression Count, Identifier? Index, Body Body, TextSpan Span) : Statement(Span);
}

namespace NetDsl.Syntax
{
    /// <summary><c>-&gt; p3</c> or <c>-&gt; p3, p4</c>: names the current feature map (or each of several) for later use.</summary>
    public sealed record NameFeaturesStatement(EquatableArray<Identifier> Names, TextSpan Span) : Statement(Span);

    /// <summary><c>from p3</c> or <c>from p3, p4</c>: the named feature maps become the current ones.</summary>
    public sealed record FromStatement(EquatableArray<Identifier> Names, TextSpan Span) : Statement(Span);

    /// <summary>How a merge of named features combines them.</summary>
    public enum FeatureMergeKind
    {
        /// <summary><c>add(a, b)</c>: element-wise sum; equal shapes.</summary>
        Add,
        /// <summary><c>concat(a, b)</c>: channels side by side; equal spatial sizes.</summary>
        Concat,
        /// <summary><c>fuse(a, b)</c>: EfficientDet's fast normalized fusion with learnable weights; equal shapes.</summary>
        Fuse,
    }

    public static class FeatureMergeKinds
    {
        /// <summary>The merge's word in the language: <c>add</c>, <c>concat</c> or <c>fuse</c>.</summary>
        public static string Keyword(this FeatureMergeKind kind) => kind switch
        {
            FeatureMergeKind.Add => "add",
            FeatureMergeKind.Concat => "concat",
            _ => "fuse",
        };
    }

    /// <summary><c>add(a, b, ...)</c>, <c>concat(a, b, ...)</c> or <c>fuse(a, b, ...)</c>, optionally <c>as label</c>.</summary>
    public sealed record MergeFeaturesStatement(FeatureMergeKind Kind, EquatableArray<Identifier> Inputs, Identifier? Label, TextSpan Span)
        : Statement(Span);

    /// <summary><c>resize(to: p4)</c> or <c>resize(to: p4, bilinear: true)</c>: the current features take p4's spatial size.</summary>
    public sealed record ResizeStatement(EquatableArray<Argument> Arguments, TextSpan Span) : Statement(Span);

    /// <summary><c>inputs p3, p4, p5</c>: the first statement of a block that takes several feature maps, naming them.</summary>
    public sealed record InputsStatement(EquatableArray<Identifier> Names, TextSpan Span) : Statement(Span);

    /// <summary><c>outputs p3, p4, p5</c>: the last statement of a network or block that gives several feature maps.</summary>
    public sealed record OutputsStatement(EquatableArray<Identifier> Names, TextSpan Span) : Statement(Span);
}
