using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Named feature maps (<c>-&gt; p3</c>, <c>from</c>, merges, <c>resize</c>, several current maps and the layers shared by
    /// them), and where each row's data comes from for tools that draw the network (<see cref="LayerReport.Sources"/>).
    /// </summary>
    internal sealed partial class StatementEvaluator
    {
        /// <summary>After a statement of the body's own level: the sources of the first row it added, and who computes the current maps now.</summary>
        private static void TrackSources(Frame frame, Sequence sequence, int before)
        {
            int first = -1, last = -1;
            for (int i = before; i < sequence.Rows.Count; i++)
            {
                if (sequence.Rows[i] is { } row && row.Depth == sequence.Depth)
                {
                    if (first < 0)
                        first = i;
                    last = i;
                }
            }
            if (first < 0)
                return;
            if (frame.PendingSources is { } pending)
            {
                sequence.Rows[first] = sequence.Rows[first] with { Sources = pending.Distinct().ToEquatableArray() };
                frame.PendingSources = null;
            }
            frame.Producers = Enumerable.Repeat(sequence.Rows[last].Path, frame.Bundle?.Count ?? 1).ToList();
        }

        private bool IsGraphBlock(LayerStatement layer) =>
            context.Model.GetLayerTarget(layer) is BlockLayerTarget block && FeatureArity.Of(block.Block.Body).IsGraph;

        private void NameFeatures(EquatableArray<Identifier> names, Frame frame, FeatureShape? input)
        {
            var current = frame.Bundle ?? new List<FeatureShape?> { input };
            for (int i = 0; i < names.Count; i++)
                frame.Features[names[i].Text] = (i < current.Count ? current[i] : null, frame.Producers[System.Math.Min(i, frame.Producers.Count - 1)]);
        }

        private static string SourceOf(Identifier name, Frame frame) => frame.Features.TryGetValue(name.Text, out var feature) ? feature.Source : "";

        private FeatureShape? From(FromStatement from, Frame frame)
        {
            var shapes = from.Names.Select(name => ReadFeature(name, frame)).ToList();
            frame.Bundle = shapes.Count > 1 ? shapes : null;
            frame.Producers = from.Names.Select(name => SourceOf(name, frame)).ToList();
            frame.PendingSources = frame.Producers;
            return shapes.Count == 1 ? shapes[0] : null;
        }

        /// <summary>The shape of a named feature map; null (after a diagnostic) when it has no value in this evaluation.</summary>
        private FeatureShape? ReadFeature(Identifier name, Frame frame)
        {
            if (frame.Features.TryGetValue(name.Text, out var feature))
                return feature.Shape;
            if (!context.Bindings.UnknownFeatures.Contains(name))
                context.Report(DiagnosticCatalog.FeatureNotSet, frame.Source, name.Span, name.Text, "an if branch that was not taken, or a loop that ran no times");
            return null;
        }

        private FeatureShape? MergeFeatures(MergeFeaturesStatement merge, Frame frame, Sequence sequence)
        {
            frame.Bundle = null;
            string name = merge.Kind.Keyword();
            string path = sequence.Next(merge.Label, frame, context);
            var shapes = merge.Inputs.Select(input => ReadFeature(input, frame)).ToList();
            string written = $"{name}({string.Join(", ", merge.Inputs.Select(i => i.Text))})";
            FeatureShape? output = null, guess = null;
            if (shapes.Count >= 2 && shapes.All(shape => shape is not null))
            {
                var first = shapes[0]!;
                guess = merge.Kind == FeatureMergeKind.Concat ? first with { Channels = shapes.Sum(shape => shape!.Channels) } : first;
                long channels = first.Channels;
                output = first;
                for (int i = 1; i < shapes.Count; i++)
                {
                    var shape = shapes[i]!;
                    bool fits = merge.Kind == FeatureMergeKind.Concat
                        ? shape.IsFlat == first.IsFlat && shape.Height == first.Height && shape.Width == first.Width
                        : shape == first;
                    if (!fits)
                    {
                        string hint = merge.Kind == FeatureMergeKind.Concat
                            ? DiagnosticCatalog.MergeEqualSpatialSizesHint
                            : string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticCatalog.MergeEqualShapesHint, name);
                        context.Report(DiagnosticCatalog.MergeShapeMismatch, frame.Source, merge.Inputs[i].Span, written,
                            merge.Inputs[0].Text, first, merge.Inputs[i].Text, shape, hint);
                        output = null;
                        break;
                    }
                    channels += shape.Channels;
                }
                if (output is not null && merge.Kind == FeatureMergeKind.Concat)
                    output = first with { Channels = channels };
            }
            context.CountLayer();
            long parameters = output is not null && merge.Kind == FeatureMergeKind.Fuse ? merge.Inputs.Count : 0;
            frame.PendingSources = null;
            sequence.Add(new LayerReport(path, name, written, output, parameters, 0, sequence.Depth, SourceLocation.From(frame.Source, merge.Span))
            {
                Sources = merge.Inputs.Select(i => SourceOf(i, frame)).Distinct().ToEquatableArray(),
            });
            // After a mismatch the row is unknown, but the statements after go on with the likely shape.
            return output ?? guess;
        }

        private FeatureShape? Resize(ResizeStatement resize, Frame frame, FeatureShape? input)
        {
            var arguments = context.Bindings.ArgumentsOf(resize);
            if (arguments?["bilinear"] is { } bilinear)
                expressions.ExpectBool(expressions.Evaluate(bilinear.Value, frame), bilinear.Value, frame, "argument 'bilinear' of resize");
            var target = arguments?["to"]?.Value is NameExpression { Name: var name } ? ReadFeature(name, frame) : null;
            FeatureShape? Apply(FeatureShape? shape)
            {
                if (shape is null || target is null)
                    return null;
                if (shape.IsFlat || target.IsFlat)
                {
                    context.Report(DiagnosticCatalog.WrongRank, frame.Source, new TextSpan(resize.Span.Start, 6),
                        $"resize needs CxHxW features, but {(shape.IsFlat ? "the current ones" : "the target")} are flat");
                    return null;
                }
                return shape with { Height = target.Height, Width = target.Width };
            }
            if (frame.Bundle is { } bundle)
            {
                frame.Bundle = bundle.Select(Apply).ToList();
                return null;
            }
            return Apply(input);
        }

        /// <summary>
        /// A layer or single-feature block applied to each of several current feature maps: one module, its weights shared,
        /// so its parameters count once and its MACs once per feature map. Each feature map keeps its spatial size (the
        /// generated code tracks their shapes by that rule), and they share a channel count.
        /// </summary>
        private FeatureShape? Shared(LayerStatement layer, Frame frame, Sequence sequence)
        {
            var bundle = frame.Bundle!;
            if (context.Model.GetLayerTarget(layer) is null)
                return EvaluateLayer(layer, frame, null, sequence);
            var forks = bundle.Skip(1).Select(_ => sequence.Fork()).ToList();
            int firstRow = sequence.Rows.Count;
            var outputs = new List<FeatureShape?> { EvaluateLayer(layer, frame, bundle[0], sequence) };
            int rowCount = sequence.Rows.Count - firstRow;
            for (int i = 1; i < bundle.Count; i++)
            {
                var fork = forks[i - 1];
                outputs.Add(EvaluateLayer(layer, frame, bundle[i], fork));
                if (fork.Rows.Count != rowCount)
                    continue;
                for (int row = 0; row < rowCount; row++)
                {
                    var shared = sequence.Rows[firstRow + row];
                    sequence.Rows[firstRow + row] = shared with { Macs = shared.Macs + fork.Rows[row].Macs };
                }
            }
            if (rowCount > 0 && sequence.Rows[firstRow] is { } top)
                sequence.Rows[firstRow] = top with { Description = $"{top.Description}, shared by {bundle.Count} feature maps" };

            for (int i = 0; i < bundle.Count; i++)
            {
                if (bundle[0] is { } first && bundle[i] is { } other && other.Channels != first.Channels)
                {
                    context.Report(DiagnosticCatalog.SharedChannels, frame.Source, layer.Name.Span, layer.Name.Text, bundle.Count, first.Channels, i + 1, other.Channels);
                    outputs[i] = null;
                }
                else if (bundle[i] is { } before && outputs[i] is { } after
                    && (after.IsFlat != before.IsFlat || after.Height != before.Height || after.Width != before.Width))
                {
                    context.Report(DiagnosticCatalog.SharedSpatial, frame.Source, layer.Name.Span, layer.Name.Text, before, after);
                    outputs[i] = null;
                }
            }
            frame.Bundle = outputs;
            return null;
        }
    }
}
