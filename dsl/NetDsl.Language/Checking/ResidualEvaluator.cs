using NetDsl.Costs;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// <c>residual</c>: the body under <c>body</c>, the skip connection when <c>when</c> holds, and with
    /// <c>project: true</c> a <c>shortcut</c> of conv 1x1 + bn where the shapes differ (as in ResNet).
    /// </summary>
    internal sealed class ResidualEvaluator
    {
        private readonly StatementEvaluator statements;
        private readonly EvaluationContext context;

        public ResidualEvaluator(StatementEvaluator statements, EvaluationContext context)
        {
            this.statements = statements;
            this.context = context;
        }

        public FeatureShape? Evaluate(ResidualStatement residual, Frame frame, FeatureShape? input, Sequence sequence)
        {
            var options = new LayerArguments("residual", context.Bindings.ArgumentsOf(residual), statements.Expressions, frame);
            bool? project = options.Bool("project", false);
            bool? active = residual.When is { } condition
                ? statements.Expressions.ExpectBool(statements.Expressions.Evaluate(condition, frame), condition, frame, "the condition of residual when")
                : true;
            var keyword = new TextSpan(residual.Span.Start, "residual".Length);
            string path = sequence.Next(null, frame, context);
            string description = active == false ? "residual (no skip)" : "residual";

            // Without its skip a residual is just its body.
            var structure = active == false ? LayerStructure.Sequence : LayerStructure.Residual;
            return statements.Container(path, "residual", structure, description, residual.Span, frame, sequence, (inner, _) =>
            {
                var body = new Sequence(inner.Qualify("body"), inner.Depth, inner.Rows);
                var output = statements.EvaluateBody(residual.Body, frame, input, body);
                if (active != true || input is null || output is null || project is null || input == output)
                    return active is null || project is null ? null : output;
                if (project == false || input.IsFlat || output.IsFlat)
                {
                    context.Report(DiagnosticCatalog.ResidualShapeMismatch, frame.Source, keyword, input, output);
                    return null;
                }
                if (ShortcutStride(input, output) is not { } stride)
                {
                    context.Report(DiagnosticCatalog.ProjectionStride, frame.Source, keyword, input, output);
                    return null;
                }
                var location = SourceLocation.From(frame.Source, keyword);
                var shortcut = new Sequence(inner.Qualify("shortcut"), inner.Depth, inner.Rows);
                var conv = CostModel.Convolution(input.Channels, output.Channels, 1, 1, false, output.Height, output.Width);
                shortcut.Add(new LayerReport(shortcut.Qualify("0"), "conv", $"conv 1x1{(stride == 1 ? "" : "/" + stride)}, {output.Channels}", output,
                    conv.Parameters, conv.Macs, shortcut.Depth, location));
                var bn = CostModel.BatchNorm(output.Channels);
                shortcut.Add(new LayerReport(shortcut.Qualify("1"), "bn", "bn", output, bn.Parameters, bn.Macs, shortcut.Depth, location));
                context.CountLayer();
                context.CountLayer();
                return output;
            });
        }

        /// <summary>The stride of a 1x1 conv that maps the input's spatial size onto the output's, if there is one.</summary>
        private static long? ShortcutStride(FeatureShape input, FeatureShape output)
        {
            long guess = System.Math.Max(1, input.Height / output.Height);
            for (long stride = guess; stride <= guess + 1; stride++)
            {
                if (ShapeRules.Convolution(input.Height, 1, stride, 0, 1) == output.Height && ShapeRules.Convolution(input.Width, 1, stride, 0, 1) == output.Width)
                    return stride;
            }
            return null;
        }
    }
}
