using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Costs;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Runs statements on the features: unrolls loops, chooses branches, applies layers and blocks, and
    /// checks the composition rules (concat, add, split, residual, dense), adding the summary rows. Named feature maps are
    /// in <c>StatementEvaluator.Features.cs</c>.
    /// </summary>
    internal sealed partial class StatementEvaluator
    {
        private readonly EvaluationContext context;
        private readonly ExpressionEvaluator expressions;
        private readonly BuiltinLayerEvaluator layers;
        private readonly ValueConversions conversions;

        public StatementEvaluator(EvaluationContext context)
        {
            this.context = context;
            expressions = new ExpressionEvaluator(context);
            layers = new BuiltinLayerEvaluator(expressions);
            conversions = new ValueConversions(expressions);
        }

        public ExpressionEvaluator Expressions => expressions;

        public ValueConversions Conversions => conversions;

        public FeatureShape? EvaluateBody(Body body, Frame frame, FeatureShape? input, Sequence sequence)
        {
            frame.Current = input;
            foreach (var statement in body.Statements)
                frame.Current = Evaluate(statement, frame, frame.Current, sequence);
            return frame.Current;
        }

        public FeatureShape? Evaluate(Statement statement, Frame frame, FeatureShape? input, Sequence sequence)
        {
            if (sequence.Depth != frame.BodyDepth)
                return EvaluateStatement(statement, frame, input, sequence);
            int before = sequence.Rows.Count;
            var output = EvaluateStatement(statement, frame, input, sequence);
            TrackSources(frame, sequence, before);
            return output;
        }

        private FeatureShape? EvaluateStatement(Statement statement, Frame frame, FeatureShape? input, Sequence sequence)
        {
            context.Step();
            switch (statement)
            {
                case LetStatement let:
                    if (context.Model.GetDeclaredSymbol(let.Name) is { } symbol)
                        frame.Set(symbol, expressions.Evaluate(let.Value, frame));
                    return input;
                case LayerStatement layer:
                    return frame.Bundle is not null && !IsGraphBlock(layer) ? Shared(layer, frame, sequence) : EvaluateLayer(layer, frame, input, sequence);
                case NameFeaturesStatement named:
                    NameFeatures(named.Names, frame, input);
                    return input;
                case InputsStatement inputs:
                    NameFeatures(inputs.Names, frame, input);
                    return input;
                case FromStatement from:
                    return From(from, frame);
                case MergeFeaturesStatement merge:
                    return MergeFeatures(merge, frame, sequence);
                case ResizeStatement resize:
                    return Resize(resize, frame, input);
                case OutputsStatement outputs:
                    frame.Outputs = outputs.Names.Select(name => (name.Text, ReadFeature(name, frame), SourceOf(name, frame))).ToList();
                    return input;
                case GroupStatement group:
                    return Container(sequence.Next(group.Label, frame, context), "group", LayerStructure.Sequence, group.Label.Text, group.Span, frame, sequence,
                        (inner, path) => EvaluateBody(group.Body, frame, input, inner));
                case RepeatStatement repeat:
                    Repeat(repeat.Count, repeat.Index, frame, "repeat", () => input = EvaluateBody(repeat.Body, frame, input, sequence));
                    return input;
                case ForStatement loop:
                    For(loop, frame, () => input = EvaluateBody(loop.Body, frame, input, sequence));
                    return input;
                case IfStatement branch:
                    return Choose(branch, frame) is { } chosen ? EvaluateBody(chosen, frame, input, sequence) : input;
                case ParallelStatement parallel:
                    return Paths(parallel.Paths, parallel.Span, parallel.Merge == MergeKind.Add ? "add" : "concat", "parallel", frame, input, sequence);
                case SplitStatement split:
                    return Paths(split.Paths, split.Span, "concat", "split", frame, input, sequence);
                case ResidualStatement residual:
                    return new ResidualEvaluator(this, context).Evaluate(residual, frame, input, sequence);
                case DenseStatement dense:
                    return Dense(dense, frame, input, sequence);
                default:
                    // input (handled by the network), function definitions (called by name), misplaced paths (reported by the binder).
                    return input;
            }
        }

        /// <summary>Adds a container row whose totals are those of the rows its inside adds.</summary>
        public FeatureShape? Container(string path, string kind, LayerStructure structure, string description, TextSpan span, Frame frame, Sequence sequence,
            Func<Sequence, string, FeatureShape?> inside)
        {
            int index = sequence.Reserve();
            var output = inside(sequence.Child(path), path);
            sequence.Complete(index, path, kind, structure, description, output, SourceLocation.From(frame.Source, span));
            return output;
        }

        private FeatureShape? EvaluateLayer(LayerStatement layer, Frame frame, FeatureShape? input, Sequence sequence)
        {
            switch (context.Model.GetLayerTarget(layer))
            {
                case BuiltinLayerTarget { Kind: BuiltinLayerKind.Activation } activation:
                    return layers.Activation(layer, activation.Name, input, frame, sequence);
                case BuiltinLayerTarget builtin:
                    return layers.Evaluate(layer, builtin.Kind, builtin.Name, input, frame, sequence);
                case BlockLayerTarget block:
                    return new BlockEvaluator(this, context).Evaluate(layer, block.Block, frame, input, sequence);
                case ActivationVariableTarget variable:
                    switch (frame.Get(variable.Variable))
                    {
                        case ActivationValue activation:
                            return layers.Activation(layer, activation.Name, input, frame, sequence);
                        case { } other:
                            context.Report(DiagnosticCatalog.NotALayer, frame.Source, layer.Name.Span, layer.Name.Text, other.Describe());
                            break;
                    }
                    break;
            }
            sequence.Next(layer.Label, frame, context);
            return null;
        }

        private Body? Choose(IfStatement branch, Frame frame)
        {
            var condition = expressions.ExpectBool(expressions.Evaluate(branch.Condition, frame), branch.Condition, frame, "the condition of if");
            return condition switch
            {
                true => branch.Then,
                false => branch.Else,
                null => null,
            };
        }

        /// <summary>Runs <paramref name="body"/> count times with the index bound; a bad count skips the loop.</summary>
        public void Repeat(Expression count, Identifier? index, Frame frame, string keyword, Action body)
        {
            if (Count(count, frame, keyword) is not { } times)
                return;
            var symbol = index is null ? null : context.Model.GetDeclaredSymbol(index);
            for (long i = 0; i < times; i++)
            {
                if (symbol is not null)
                    frame.Set(symbol, new IntValue(i));
                body();
            }
        }

        public long? Count(Expression count, Frame frame, string keyword)
        {
            var value = expressions.Evaluate(count, frame);
            if (conversions.ToInt(value, count, frame, $"the {keyword} count") is not { } times)
                return null;
            if (times < 0)
            {
                context.Report(DiagnosticCatalog.NegativeValue, frame.Source, count.Span, $"{keyword} count", times);
                return null;
            }
            if (times > EvaluationContext.MaxLoopCount)
            {
                context.Report(DiagnosticCatalog.LoopTooLong, frame.Source, count.Span, keyword, times);
                return null;
            }
            return times;
        }

        public void For(ForStatement loop, Frame frame, Action body)
        {
            var names = loop.Pattern.Names.Select(n => context.Model.GetDeclaredSymbol(n)).ToList();
            foreach (var item in Items(loop, frame))
            {
                if (!loop.Pattern.IsTuple)
                {
                    if (names[0] is { } name)
                        frame.Set(name, item.Value);
                }
                else if (item.Value is TupleValue tuple && tuple.Items.Count == names.Count)
                {
                    for (int i = 0; i < names.Count; i++)
                    {
                        if (names[i] is { } name)
                            frame.Set(name, tuple.Items[i]);
                    }
                }
                else
                {
                    if (item.Value is not null)
                    {
                        int count = item.Value is TupleValue other ? other.Items.Count : 1;
                        context.Report(DiagnosticCatalog.PatternArity, frame.Source, item.At.Span, names.Count, item.Value, count);
                    }
                    foreach (var name in names)
                    {
                        if (name is not null)
                            frame.Set(name, null);
                    }
                }
                body();
            }
        }

        private IEnumerable<(Value? Value, Expression At)> Items(ForStatement loop, Frame frame)
        {
            if (loop.Source is RangeExpression range)
            {
                var from = conversions.ToInt(expressions.Evaluate(range.From, frame), range.From, frame, "the start of a range");
                var to = conversions.ToInt(expressions.Evaluate(range.To, frame), range.To, frame, "the end of a range");
                if (from is null || to is null)
                    yield break;
                long count = Math.Max(0, to.Value - from.Value + 1);
                if (count > EvaluationContext.MaxLoopCount)
                {
                    context.Report(DiagnosticCatalog.LoopTooLong, frame.Source, range.Span, "for", count);
                    yield break;
                }
                for (long i = from.Value; i <= to.Value; i++)
                    yield return (new IntValue(i), range);
                yield break;
            }

            var source = expressions.Evaluate(loop.Source, frame);
            if (source is null)
                yield break;
            if (source is not SequenceValue { Items: var items })
            {
                context.Report(DiagnosticCatalog.NotIterable, frame.Source, loop.Source.Span, $"'{frame.Source.ToString(loop.Source.Span)}'", source.Describe());
                yield break;
            }
            var literal = loop.Source as ListExpression;
            for (int i = 0; i < items.Count; i++)
                yield return (items[i], literal is not null && i < literal.Items.Count ? literal.Items[i] : loop.Source);
        }

        private FeatureShape? Paths(Body body, TextSpan span, string merge, string keyword, Frame frame, FeatureShape? input, Sequence sequence)
        {
            var paths = new List<(PathStatement Path, Frame Frame)>();
            CollectPaths(body, frame, paths);
            var keywordSpan = new TextSpan(span.Start, keyword.Length);
            string path = sequence.Next(null, frame, context);
            bool split = keyword == "split";
            string description = split ? $"split {paths.Count}" : $"parallel {merge}, {paths.Count} paths";
            var structure = split ? LayerStructure.Split : merge == "add" ? LayerStructure.ParallelAdd : LayerStructure.ParallelConcat;
            // After a merge mismatch the row is unknown, but the statements after go on with the likely shape.
            FeatureShape? guess = null;
            return Container(path, split ? "split" : "parallel", structure, description, span, frame, sequence, (inner, _) =>
            {
                if (paths.Count == 0)
                {
                    context.Report(DiagnosticCatalog.NoPaths, frame.Source, keywordSpan, keyword);
                    return null;
                }
                var pathInput = input;
                if (split && input is not null)
                {
                    if (input.Channels % paths.Count != 0)
                    {
                        context.Report(DiagnosticCatalog.SplitNotEven, frame.Source, keywordSpan, input.Channels, paths.Count,
                            FloatValue.Format((double)input.Channels / paths.Count));
                        pathInput = null;
                    }
                    else
                    {
                        pathInput = input with { Channels = input.Channels / paths.Count };
                    }
                }

                var outputs = new List<(FeatureShape? Shape, PathStatement Path, int FirstRow)>();
                for (int i = 0; i < paths.Count; i++)
                {
                    var (statement, pathFrame) = paths[i];
                    string name = statement.Label?.Text ?? $"path{i + 1}";
                    int firstRow = inner.Rows.Count;
                    var output = Container(inner.Qualify(name), "path", LayerStructure.Sequence, name, statement.Span, pathFrame, inner,
                        (pathSequence, _) => EvaluateBody(statement.Body, pathFrame, pathInput, pathSequence));
                    outputs.Add((output, statement, firstRow));
                }
                return Merge(outputs, merge, split ? "split" : "concat", pathInput, frame, inner.Rows, out guess);
            }) ?? guess;
        }

        private void CollectPaths(Body body, Frame frame, List<(PathStatement, Frame)> paths)
        {
            foreach (var statement in body.Statements)
            {
                context.Step();
                switch (statement)
                {
                    case PathStatement path:
                        paths.Add((path, frame.Snapshot()));
                        break;
                    case LetStatement let:
                        Evaluate(let, frame, frame.Current, new Sequence("", 0, new List<LayerReport>()));
                        break;
                    case RepeatStatement repeat:
                        Repeat(repeat.Count, repeat.Index, frame, "repeat", () => CollectPaths(repeat.Body, frame, paths));
                        break;
                    case ForStatement loop:
                        For(loop, frame, () => CollectPaths(loop.Body, frame, paths));
                        break;
                    case IfStatement branch:
                        if (Choose(branch, frame) is { } chosen)
                            CollectPaths(chosen, frame, paths);
                        break;
                }
            }
        }

        /// <param name="guess">After a mismatch (reported, result null): the likely shape, the first path's for add, its size
        /// with every path's channels for concat.</param>
        private FeatureShape? Merge(List<(FeatureShape? Shape, PathStatement Path, int FirstRow)> outputs, string merge, string what,
            FeatureShape? pathInput, Frame frame, List<LayerReport> rows, out FeatureShape? guess)
        {
            guess = null;
            if (outputs.Any(o => o.Shape is null))
                return null;
            var head = outputs[0].Shape!;
            var likely = merge == "add" ? head : head with { Channels = outputs.Sum(o => o.Shape!.Channels) };
            var first = outputs[0].Shape!;
            long channels = 0;
            for (int i = 0; i < outputs.Count; i++)
            {
                var shape = outputs[i].Shape!;
                var keyword = new TextSpan(outputs[i].Path.Span.Start, Math.Min(4, outputs[i].Path.Span.Length));
                if (merge == "add" && shape != first)
                {
                    context.Report(DiagnosticCatalog.AddShapeMismatch, frame.Source, keyword, first, shape, i + 1);
                    guess = likely;
                    return null;
                }
                if (shape.IsFlat != first.IsFlat || shape.Height != first.Height || shape.Width != first.Width)
                {
                    string cause = SpatialChange(rows, outputs[i].FirstRow, pathInput, frame) is { } change ? $": path {i + 1} has {change}" : "";
                    context.Report(DiagnosticCatalog.ConcatSpatialMismatch, frame.Source, keyword, $"{what} of paths", Spatial(first), Spatial(shape), cause);
                    guess = likely;
                    return null;
                }
                channels += shape.Channels;
            }
            return merge == "add" ? first : first with { Channels = channels };
        }

        private static string Spatial(FeatureShape shape) => shape.IsFlat ? "flat" : shape.SpatialText;

        /// <summary>The first layer of a path that changed the spatial size: "a conv 3x3/2, 16 at line 14".</summary>
        private static string? SpatialChange(List<LayerReport> rows, int firstRow, FeatureShape? input, Frame frame)
        {
            if (input is null)
                return null;
            for (int i = firstRow + 1; i < rows.Count; i++)
            {
                var row = rows[i];
                bool leaf = i + 1 >= rows.Count || rows[i + 1].Depth <= row.Depth;
                if (leaf && row.Output is { } output && (output.Height != input.Height || output.Width != input.Width || output.IsFlat))
                    return $"a {row.Description} at line {row.Location.Start.Line + 1}";
            }
            return null;
        }

        private FeatureShape? Dense(DenseStatement dense, Frame frame, FeatureShape? input, Sequence sequence)
        {
            var index = dense.Index is null ? null : context.Model.GetDeclaredSymbol(dense.Index);
            var count = Count(dense.Count, frame, "dense");
            string path = sequence.Next(null, frame, context);
            return Container(path, "dense", LayerStructure.Dense, $"dense {count}", dense.Span, frame, sequence, (inner, _) =>
            {
                if (count is null)
                    return null;
                var current = input;
                for (long i = 0; i < count; i++)
                {
                    if (index is not null)
                        frame.Set(index, new IntValue(i));
                    string name = $"layer{i + 1}";
                    int firstRow = inner.Rows.Count;
                    var layerInput = current;
                    var output = Container(inner.Qualify(name), "dense layer", LayerStructure.Sequence, name, dense.Span, frame, inner,
                        (layerSequence, _) => EvaluateBody(dense.Body, frame, layerInput, layerSequence));
                    if (current is null || output is null)
                    {
                        current = null;
                        continue;
                    }
                    if (output.IsFlat != current.IsFlat || output.Height != current.Height || output.Width != current.Width)
                    {
                        string cause = SpatialChange(inner.Rows, firstRow, current, frame) is { } change ? $": layer {i + 1} has {change}" : "";
                        context.Report(DiagnosticCatalog.ConcatSpatialMismatch, frame.Source, new TextSpan(dense.Span.Start, 5),
                            "dense concat of layers", Spatial(current), Spatial(output), cause);
                        current = null;
                        continue;
                    }
                    current = current with { Channels = current.Channels + output.Channels };
                }
                return current;
            });
        }
    }
}
