using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// The static rules of named feature maps in one network or block, in source order: every name is defined before it
    /// is read (so a graph cannot have a cycle), feature map statements stay at the declaration's own level, and the
    /// number of current feature maps is known at every statement (one, or several after <c>from a, b</c> or a block with
    /// several outputs), so each statement gets as many as it takes.
    /// </summary>
    internal sealed class FeatureFlow
    {
        private readonly BinderContext context;
        private readonly string owner;
        private readonly bool isBlock;
        private readonly Dictionary<string, Identifier> defined = new Dictionary<string, Identifier>();
        private readonly List<Identifier> definitions = new List<Identifier>();
        private readonly HashSet<string> read = new HashSet<string>();
        private readonly Dictionary<string, Identifier> definedAnywhere = new Dictionary<string, Identifier>();

        /// <summary>Where the current feature maps became several, for messages ("from p3, p4 at line 12").</summary>
        private string since = "";

        private FeatureFlow(BinderContext context, string owner, bool isBlock)
        {
            this.context = context;
            this.owner = owner;
            this.isBlock = isBlock;
        }

        public static void Check(BinderContext context, Declaration declaration)
        {
            switch (declaration)
            {
                case NetworkDeclaration network:
                    new FeatureFlow(context, $"network {network.Name.Text}", isBlock: false).CheckBody(network.Body, network.Name);
                    break;
                case BlockDeclaration block:
                    new FeatureFlow(context, $"block {block.Name.Text}", isBlock: true).CheckBody(block.Body, block.Name);
                    break;
            }
        }

        private void CheckBody(Body body, Identifier name)
        {
            CollectDefinitions(body);
            int? count = 1;
            var statements = body.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (statement is InputsStatement inputs)
                {
                    if (!isBlock)
                        context.Report(DiagnosticCatalog.InputsPlacement, Keyword(inputs.Span, "inputs"),
                            "a network takes its input with 'input CxHxW'; 'inputs' names the feature maps a block takes");
                    else if (statements.Take(i).Any(s => s is not LetStatement and not FunctionStatement))
                        context.Report(DiagnosticCatalog.InputsPlacement, Keyword(inputs.Span, "inputs"), "'inputs' must be the first statement of the block");
                    count = inputs.Names.Count;
                    since = $"'inputs' at {Where(inputs.Span)}";
                    if (isBlock)
                    {
                        Define(inputs.Names);
                        // The inputs are the block's interface and flow on as the current maps: never "unused".
                        foreach (var input in inputs.Names)
                            read.Add(input.Text);
                    }
                    continue;
                }
                if (statement is OutputsStatement outputs)
                {
                    if (statements.Skip(i + 1).Any(s => s is not LetStatement and not FunctionStatement))
                        context.Report(DiagnosticCatalog.OutputsPlacement, Keyword(outputs.Span, "outputs"), $"'outputs' must be the last statement of the {(isBlock ? "block" : "network")}");
                    Read(outputs.Names);
                    CheckDistinct(outputs.Names, "outputs");
                    if (!isBlock && outputs.Names.Count > 1)
                        CheckOutputProperties(outputs.Names, name.Text);
                    count = null;
                    continue;
                }
                count = Flow(statement, count);
            }
            if (count > 1)
                context.Report(DiagnosticCatalog.UnnamedOutputs, name.Span, owner, count);
            foreach (var definition in definitions)
            {
                if (!read.Contains(definition.Text))
                    context.Report(DiagnosticCatalog.UnusedFeature, definition.Span, definition.Text);
            }
        }

        /// <summary>Every name defined anywhere in the body, to tell "defined later" from "not defined" in messages.</summary>
        private void CollectDefinitions(Body body)
        {
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case NameFeaturesStatement named:
                        foreach (var name in named.Names)
                        {
                            if (!definedAnywhere.ContainsKey(name.Text))
                                definedAnywhere[name.Text] = name;
                        }
                        break;
                    case RepeatStatement repeat:
                        CollectDefinitions(repeat.Body);
                        break;
                    case ForStatement loop:
                        CollectDefinitions(loop.Body);
                        break;
                    case IfStatement branch:
                        CollectDefinitions(branch.Then);
                        if (branch.Else is not null)
                            CollectDefinitions(branch.Else);
                        break;
                }
            }
        }

        /// <returns>The number of current feature maps after <paramref name="statement"/>; null when unknown after an error.</returns>
        private int? Flow(Statement statement, int? count)
        {
            switch (statement)
            {
                case NameFeaturesStatement named:
                    CheckDistinct(named.Names, "'->'");
                    if (count is { } current && current != named.Names.Count)
                    {
                        string hint = current > 1 ? $" (since {since})" : "";
                        context.Report(DiagnosticCatalog.FeatureCountMismatch, named.Span, string.Join(", ", named.Names.Select(n => n.Text)),
                            named.Names.Count, current, hint);
                    }
                    Define(named.Names);
                    return count;
                case FromStatement from:
                    Read(from.Names);
                    since = $"'from' at {Where(from.Span)}";
                    return from.Names.Count;
                case MergeFeaturesStatement merge:
                    Read(merge.Inputs);
                    if (merge.Inputs.Count < 2)
                        context.Report(DiagnosticCatalog.MergeTooFewInputs, Keyword(merge.Span, merge.Kind.Keyword()), merge.Kind.Keyword());
                    return 1;
                case ResizeStatement resize:
                    ReadResizeTarget(resize);
                    return count;
                case LayerStatement layer:
                    if (count is { } applied)
                        context.Model.SetFeatureCount(layer, applied);
                    if (context.Model.GetLayerTarget(layer) is BlockLayerTarget block && FeatureArity.Of(block.Block.Body) is { IsGraph: true } arity)
                    {
                        if (count is { } given && given != arity.Inputs)
                            context.Report(DiagnosticCatalog.BlockFeatureCount, layer.Name.Span, block.Block.Name.Text, arity.Inputs, given);
                        if (arity.Outputs > 1)
                            since = $"{block.Block.Name.Text} at {Where(layer.Span)}";
                        return arity.Outputs;
                    }
                    return count;
                case GroupStatement group:
                    return Nested(group.Body, count, $"the group '{group.Label.Text}'", Keyword(group.Span, group.Label.Text), $"a group ({group.Label.Text}:)");
                case ParallelStatement parallel:
                    return Nested(parallel.Paths, count, "parallel", Keyword(parallel.Span, "parallel"), "parallel");
                case SplitStatement split:
                    return Nested(split.Paths, count, "split", Keyword(split.Span, "split"), "split");
                case ResidualStatement residual:
                    return Nested(residual.Body, count, "residual", Keyword(residual.Span, "residual"), "residual");
                case DenseStatement dense:
                    return Nested(dense.Body, count, "dense", Keyword(dense.Span, "dense"), "dense");
                case RepeatStatement repeat:
                    return Loop(repeat.Body, count, "repeat", repeat.Span);
                case ForStatement loop:
                    return Loop(loop.Body, count, "for", loop.Span);
                case IfStatement branch:
                {
                    int? then = FlowBody(branch.Then, count);
                    int? otherwise = branch.Else is null ? count : FlowBody(branch.Else, count);
                    if (then is { } a && otherwise is { } b && a != b)
                    {
                        context.Report(DiagnosticCatalog.FeatureCountDiffers, Keyword(branch.Span, "if"),
                            $"the branches of if end with {a} and {b} current feature maps; both must end with the same number");
                        return null;
                    }
                    return then;
                }
                case InputsStatement inputs:
                    context.Report(DiagnosticCatalog.InputsPlacement, Keyword(inputs.Span, "inputs"), "'inputs' must be the first statement of the block, outside if, for and repeat");
                    return inputs.Names.Count;
                case OutputsStatement outputs:
                    Read(outputs.Names);
                    context.Report(DiagnosticCatalog.OutputsPlacement, Keyword(outputs.Span, "outputs"), "'outputs' must be the last statement of the network or block, outside if, for and repeat");
                    return count;
                default:
                    return count;
            }
        }

        private int? FlowBody(Body body, int? count)
        {
            foreach (var statement in body.Statements)
                count = Flow(statement, count);
            return count;
        }

        private int? Loop(Body body, int? count, string keyword, TextSpan span)
        {
            int? after = FlowBody(body, count);
            if (count is { } before && after is { } end && before != end)
            {
                context.Report(DiagnosticCatalog.FeatureCountDiffers, Keyword(span, keyword),
                    $"the body of {keyword} starts with {before} current feature map(s) and ends with {end}; a loop body must end with as many as it starts with");
                return null;
            }
            return after;
        }

        /// <summary>A container statement: it takes one feature map, and feature map statements inside it are misplaced.</summary>
        private int? Nested(Body body, int? count, string what, TextSpan keyword, string container)
        {
            if (count > 1)
                context.Report(DiagnosticCatalog.NeedsOneFeature, keyword, what, count, since);
            RejectInside(body, container);
            return count > 1 ? null : count;
        }

        private void RejectInside(Body body, string container)
        {
            foreach (var statement in body.Statements)
            {
                string? what = statement switch
                {
                    NameFeaturesStatement => "'->'",
                    FromStatement => "'from'",
                    MergeFeaturesStatement merge => merge.Kind.Keyword(),
                    ResizeStatement => "resize",
                    InputsStatement => "'inputs'",
                    OutputsStatement => "'outputs'",
                    LayerStatement layer when context.Model.GetLayerTarget(layer) is BlockLayerTarget block && FeatureArity.Of(block.Block.Body).IsGraph =>
                        $"the graph block {block.Block.Name.Text}",
                    _ => null,
                };
                if (what is not null)
                {
                    context.Report(DiagnosticCatalog.FeatureStatementPlacement, StatementStart(statement), what, container);
                    // The names it reads count as read: one mistake, one diagnostic.
                    foreach (var name in NamesRead(statement))
                        read.Add(name.Text);
                    continue;
                }
                foreach (var inner in Bodies(statement))
                    RejectInside(inner, container);
            }
        }

        private IEnumerable<Identifier> NamesRead(Statement statement) => statement switch
        {
            FromStatement from => from.Names,
            MergeFeaturesStatement merge => merge.Inputs,
            OutputsStatement outputs => outputs.Names,
            ResizeStatement resize when context.Bindings.ArgumentsOf(resize)?["to"]?.Value is NameExpression name => new[] { name.Name },
            _ => Enumerable.Empty<Identifier>(),
        };

        private static IEnumerable<Body> Bodies(Statement statement)
        {
            switch (statement)
            {
                case GroupStatement group: yield return group.Body; break;
                case RepeatStatement repeat: yield return repeat.Body; break;
                case ForStatement loop: yield return loop.Body; break;
                case IfStatement branch:
                    yield return branch.Then;
                    if (branch.Else is not null)
                        yield return branch.Else;
                    break;
                case ParallelStatement parallel: yield return parallel.Paths; break;
                case SplitStatement split: yield return split.Paths; break;
                case PathStatement path: yield return path.Body; break;
                case ResidualStatement residual: yield return residual.Body; break;
                case DenseStatement dense: yield return dense.Body; break;
            }
        }

        private void ReadResizeTarget(ResizeStatement resize)
        {
            var target = context.Bindings.ArgumentsOf(resize)?["to"];
            if (target is null)
                return;
            if (target.Value is NameExpression { Name: var name })
                Read(new[] { name });
            else
                context.Report(DiagnosticCatalog.ResizeTarget, target.Value.Span, $", but '{context.Text(target.Value.Span)}' is not a name");
        }

        private void Define(IEnumerable<Identifier> names)
        {
            foreach (var name in names)
            {
                if (!defined.ContainsKey(name.Text))
                    definitions.Add(name);
                defined[name.Text] = name;
            }
        }

        private void Read(IEnumerable<Identifier> names)
        {
            foreach (var name in names)
            {
                read.Add(name.Text);
                if (defined.ContainsKey(name.Text))
                    continue;
                string hint = definedAnywhere.TryGetValue(name.Text, out var later)
                    ? $"; it is named at {Where(later.Span)}, after this use"
                    : Suggestions.DidYouMean(name.Text, defined.Keys.Concat(definedAnywhere.Keys).Distinct());
                context.Report(DiagnosticCatalog.UnknownFeature, name.Span, name.Text, hint);
                context.Bindings.UnknownFeatures.Add(name);
            }
        }

        /// <summary>Members of the generated <c>Outputs</c> record (a positional record with IDisposable) an output may not become.</summary>
        private static readonly string[] RecordMembers =
            { "Outputs", "Dispose", "Equals", "GetHashCode", "ToString", "GetType", "Deconstruct", "EqualityContract", "PrintMembers", "MemberwiseClone" };

        /// <summary>A network's outputs become the properties of its generated <c>Outputs</c> record, so they must stay distinct there.</summary>
        private void CheckOutputProperties(EquatableArray<Identifier> names, string network)
        {
            var properties = new Dictionary<string, Identifier>();
            foreach (var name in names)
            {
                string property = GeneratedMembers.PropertyName(name.Text);
                if (RecordMembers.Contains(property))
                    context.Report(DiagnosticCatalog.OutputNameClash, name.Span, name.Text, property, network, "a member every record has");
                else if (properties.TryGetValue(property, out var first) && first.Text != name.Text)
                    context.Report(DiagnosticCatalog.OutputNameClash, name.Span, name.Text, property, network, $"as output '{first.Text}' does");
                else
                    properties[property] = name;
            }
        }

        private void CheckDistinct(EquatableArray<Identifier> names, string where)
        {
            var seen = new HashSet<string>();
            foreach (var name in names)
            {
                if (!seen.Add(name.Text))
                    context.Report(DiagnosticCatalog.DuplicateFeatureName, name.Span, name.Text, where);
            }
        }

        private string Where(TextSpan span) => DiagnosticBag.Where(context.Source, span);

        private static TextSpan Keyword(TextSpan span, string keyword) => new TextSpan(span.Start, System.Math.Min(keyword.Length, span.Length));

        private static TextSpan StatementStart(Statement statement) => statement switch
        {
            NameFeaturesStatement named => new TextSpan(named.Span.Start, 2),
            LayerStatement layer => layer.Name.Span,
            FromStatement => Keyword(statement.Span, "from"),
            MergeFeaturesStatement merge => Keyword(statement.Span, merge.Kind.Keyword()),
            ResizeStatement => Keyword(statement.Span, "resize"),
            InputsStatement => Keyword(statement.Span, "inputs"),
            OutputsStatement => Keyword(statement.Span, "outputs"),
            _ => statement.Span,
        };
    }
}
