using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer;

/// <summary>What a name in the text stands for.</summary>
internal enum OccurrenceKind
{
    /// <summary>A network, block or variant; the target is its <see cref="Declaration"/>.</summary>
    Declaration,

    /// <summary>A parameter, let, function, loop variable; the target is the checker's <see cref="Model.Symbol"/>.</summary>
    Symbol,

    /// <summary>A label (<c>as head</c>, <c>stem: { }</c>, <c>path left { }</c>); the target is its identifier.</summary>
    Label,

    /// <summary>A built-in layer or activation used as a layer; the target is its name.</summary>
    BuiltinLayer,

    /// <summary>A named feature map (<c>-&gt; p3</c>, <c>from p3</c>, <c>add(p3, up)</c>); the target is its <see cref="FeatureMap"/>.</summary>
    Feature,
}

/// <summary>A feature map name of one network or block: every <c>-&gt; p3</c> and every read of <c>p3</c> in it share it.</summary>
internal sealed record FeatureMap(Declaration Owner, string Name);

/// <summary>
/// One name in a file and what it refers to, as the checker resolved it (<see cref="SemanticModel"/>).
/// <see cref="Statement"/> is the layer statement whose name this is, for hovers that show its rows.
/// </summary>
internal sealed record Occurrence(string Path, TextSpan Span, OccurrenceKind Kind, object Target, bool IsDefinition, LayerStatement? Statement = null)
{
    /// <summary>For a definition of a parameter, let or loop variable: the text that declares it (<c>width: float = 1.0</c>).</summary>
    public TextSpan? Context { get; init; }
}

/// <summary>
/// Every name of every file with its target, built by walking the syntax trees and asking the semantic model
/// what each name means; definitions, references and renames are lookups here, never a second resolution.
/// </summary>
internal sealed class SymbolIndex
{
    private readonly Dictionary<string, List<Occurrence>> byPath = new(StringComparer.Ordinal);
    private readonly Dictionary<object, List<Occurrence>> byTarget = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<Occurrence> In(string path) => byPath.TryGetValue(path, out var list) ? list : [];

    public IReadOnlyList<Occurrence> Of(object target) => byTarget.TryGetValue(target, out var list) ? list : [];

    /// <summary>The name at an offset (touching its start or end counts, as editors place the caret after a word).</summary>
    public Occurrence? At(string path, int offset) =>
        In(path).Where(o => o.Span.Start <= offset && offset <= o.Span.End).OrderBy(o => o.Span.Length).FirstOrDefault();

    public Occurrence? DefinitionOf(object target) => Of(target).FirstOrDefault(o => o.IsDefinition);

    public static SymbolIndex Build(Analysis analysis)
    {
        var index = new SymbolIndex();
        foreach (var document in analysis.Documents)
            new Walker(index, analysis.Model, document.Path).Walk(document.Parse.Tree);
        foreach (var list in index.byPath.Values)
            list.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return index;
    }

    private void Add(Occurrence occurrence)
    {
        if (!byPath.TryGetValue(occurrence.Path, out var list))
            byPath[occurrence.Path] = list = [];
        list.Add(occurrence);
        if (!byTarget.TryGetValue(occurrence.Target, out var targets))
            byTarget[occurrence.Target] = targets = [];
        targets.Add(occurrence);
    }

    private sealed class Walker(SymbolIndex index, SemanticModel model, string path)
    {
        private Declaration? owner;
        private readonly Dictionary<(Declaration, string), FeatureMap> features = new();

        /// <summary>Names of feature maps: the first <c>-&gt; name</c> (or <c>inputs</c>) of a declaration is the definition.</summary>
        private void Features(IEnumerable<Identifier> names, bool naming)
        {
            if (owner is null)
                return;
            foreach (var name in names)
            {
                bool first = !features.TryGetValue((owner, name.Text), out var feature);
                if (first)
                    features[(owner, name.Text)] = feature = new FeatureMap(owner, name.Text);
                index.Add(new Occurrence(path, name.Span, OccurrenceKind.Feature, feature!, naming && first));
            }
        }

        public void Walk(SyntaxTree tree)
        {
            foreach (var declaration in tree.Declarations)
            {
                // A duplicate declaration is its own target; the first one of a name is what uses resolve to.
                index.Add(new Occurrence(path, declaration.Name.Span, OccurrenceKind.Declaration, Canonical(declaration), true));
                switch (declaration)
                {
                    case NetworkDeclaration network:
                        owner = network;
                        Parameters(network.Parameters);
                        Body(network.Body);
                        break;
                    case BlockDeclaration block:
                        owner = block;
                        Parameters(block.Parameters);
                        Body(block.Body);
                        break;
                    case VariantDeclaration variant:
                        var target = model.Variants.TryGetValue(variant.Name.Text, out var info) && ReferenceEquals(info.Declaration, variant) ? info.Target : null;
                        if (target is not null)
                            index.Add(new Occurrence(path, variant.Target.Span, OccurrenceKind.Declaration, target, false));
                        Arguments(variant.Arguments, target?.Parameters);
                        if (variant.Input is { } shape)
                            Shape(shape);
                        break;
                }
            }
        }

        private Declaration Canonical(Declaration declaration)
        {
            string name = declaration.Name.Text;
            Declaration? first = declaration switch
            {
                NetworkDeclaration => model.Networks.TryGetValue(name, out var n) ? n : null,
                BlockDeclaration => model.Blocks.TryGetValue(name, out var b) ? b : null,
                VariantDeclaration => model.Variants.TryGetValue(name, out var v) ? v.Declaration : null,
                _ => null,
            };
            return first ?? declaration;
        }

        private void Parameters(EquatableArray<Parameter> parameters)
        {
            foreach (var parameter in parameters)
            {
                Declared(parameter.Name, parameter.Span);
                if (parameter.Default is { } value)
                    Expression(value);
            }
        }

        private void Declared(Identifier name, TextSpan context)
        {
            if (model.GetDeclaredSymbol(name) is { } symbol)
                index.Add(new Occurrence(path, name.Span, OccurrenceKind.Symbol, symbol, ReferenceEquals(symbol.Declaration, name)) { Context = context });
        }

        private void Label(Identifier? label)
        {
            if (label is not null)
                index.Add(new Occurrence(path, label.Span, OccurrenceKind.Label, label, true));
        }

        /// <summary>Arguments of a block use or variant: a named argument refers to the callee's parameter.</summary>
        private void Arguments(EquatableArray<Argument>? arguments, EquatableArray<Parameter>? parameters)
        {
            if (arguments is null)
                return;
            foreach (var argument in arguments.Value)
            {
                if (argument.Name is { } name && parameters is { } declared &&
                    declared.FirstOrDefault(p => p.Name.Text == name.Text) is { } parameter &&
                    model.GetDeclaredSymbol(parameter.Name) is { } symbol)
                {
                    index.Add(new Occurrence(path, name.Span, OccurrenceKind.Symbol, symbol, false));
                }
                Expression(argument.Value);
            }
        }

        private void Shape(ShapeSyntax shape)
        {
            Expression(shape.Channels);
            Expression(shape.Height);
            Expression(shape.Width);
        }

        private void Body(Body? body)
        {
            if (body is null)
                return;
            foreach (var statement in body.Statements)
                Statement(statement);
        }

        private void Statement(Statement statement)
        {
            switch (statement)
            {
                case InputStatement input:
                    Shape(input.Shape);
                    break;
                case LetStatement let:
                    Declared(let.Name, let.Span);
                    Expression(let.Value);
                    break;
                case FunctionStatement function:
                    Declared(function.Name, function.Span);
                    foreach (var parameter in function.Parameters)
                        Declared(parameter, function.Span);
                    Expression(function.Body);
                    break;
                case LayerStatement layer:
                    Layer(layer);
                    break;
                case GroupStatement group:
                    Label(group.Label);
                    Body(group.Body);
                    break;
                case RepeatStatement repeat:
                    Expression(repeat.Count);
                    if (repeat.Index is { } index)
                        Declared(index, TextSpan.FromBounds(repeat.Span.Start, repeat.Body.Span.Start));
                    Body(repeat.Body);
                    break;
                case DenseStatement dense:
                    Expression(dense.Count);
                    if (dense.Index is { } denseIndex)
                        Declared(denseIndex, TextSpan.FromBounds(dense.Span.Start, dense.Body.Span.Start));
                    Body(dense.Body);
                    break;
                case ForStatement loop:
                    foreach (var name in loop.Pattern.Names)
                        Declared(name, TextSpan.FromBounds(loop.Span.Start, loop.Body.Span.Start));
                    Expression(loop.Source);
                    Body(loop.Body);
                    break;
                case IfStatement conditional:
                    Expression(conditional.Condition);
                    Body(conditional.Then);
                    Body(conditional.Else);
                    break;
                case ParallelStatement parallel:
                    Body(parallel.Paths);
                    break;
                case SplitStatement split:
                    Body(split.Paths);
                    break;
                case PathStatement pathStatement:
                    Label(pathStatement.Label);
                    Body(pathStatement.Body);
                    break;
                case ResidualStatement residual:
                    foreach (var option in residual.Options)
                        Expression(option.Value);
                    if (residual.When is { } when)
                        Expression(when);
                    Body(residual.Body);
                    break;
                case NameFeaturesStatement named:
                    Features(named.Names, naming: true);
                    break;
                case InputsStatement inputs:
                    Features(inputs.Names, naming: true);
                    break;
                case FromStatement from:
                    Features(from.Names, naming: false);
                    break;
                case OutputsStatement outputs:
                    Features(outputs.Names, naming: false);
                    break;
                case MergeFeaturesStatement merge:
                    Features(merge.Inputs, naming: false);
                    Label(merge.Label);
                    break;
                case ResizeStatement resize:
                    foreach (var argument in resize.Arguments)
                    {
                        if (argument.Name?.Text == "to" || (argument.Name is null && argument == resize.Arguments[0]))
                        {
                            if (argument.Value is NameExpression target)
                                Features([target.Name], naming: false);
                        }
                        else
                        {
                            Expression(argument.Value);
                        }
                    }
                    break;
            }
        }

        private void Layer(LayerStatement layer)
        {
            switch (model.GetLayerTarget(layer))
            {
                case BlockLayerTarget block:
                    index.Add(new Occurrence(path, layer.Name.Span, OccurrenceKind.Declaration, block.Block, false, layer));
                    Arguments(layer.Arguments, block.Block.Parameters);
                    break;
                case ActivationVariableTarget variable:
                    index.Add(new Occurrence(path, layer.Name.Span, OccurrenceKind.Symbol, variable.Variable, false, layer));
                    Arguments(layer.Arguments, null);
                    break;
                case BuiltinLayerTarget builtin:
                    index.Add(new Occurrence(path, layer.Name.Span, OccurrenceKind.BuiltinLayer, builtin.Name, false, layer));
                    Arguments(layer.Arguments, null);
                    break;
                default:
                    Arguments(layer.Arguments, null);
                    break;
            }
            Label(layer.Label);
        }

        private void Expression(Expression? expression)
        {
            switch (expression)
            {
                case NameExpression name:
                    if (model.GetSymbol(name) is { } symbol)
                        index.Add(new Occurrence(path, name.Span, OccurrenceKind.Symbol, symbol, false));
                    break;
                case UnaryExpression unary:
                    Expression(unary.Operand);
                    break;
                case BinaryExpression binary:
                    Expression(binary.Left);
                    Expression(binary.Right);
                    break;
                case ConditionalExpression conditional:
                    Expression(conditional.Condition);
                    Expression(conditional.WhenTrue);
                    Expression(conditional.WhenFalse);
                    break;
                case CallExpression call:
                    if (model.GetSymbol(call) is { } function)
                        index.Add(new Occurrence(path, call.Function.Span, OccurrenceKind.Symbol, function, false));
                    foreach (var argument in call.Arguments)
                        Expression(argument.Value);
                    break;
                case IndexExpression indexing:
                    Expression(indexing.Target);
                    Expression(indexing.Index);
                    break;
                case TupleExpression tuple:
                    foreach (var item in tuple.Items)
                        Expression(item);
                    break;
                case ListExpression list:
                    foreach (var item in list.Items)
                        Expression(item);
                    break;
                case RangeExpression range:
                    Expression(range.From);
                    Expression(range.To);
                    break;
            }
        }
    }
}
