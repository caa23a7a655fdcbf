using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Costs;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>Instantiates one network, at its defaults or with a variant's arguments and input, and builds its report.</summary>
    internal static class NetworkEvaluator
    {
        /// <returns>The report, or null when the network cannot be built (a required parameter without value, no input, a limit hit).</returns>
        public static NetworkReport? Evaluate(NetworkDeclaration network, VariantDeclaration? variant, SemanticModel model, BindingTable bindings, DiagnosticBag diagnostics)
        {
            var networkTree = model.GetTree(network)!;
            var variantTree = variant is null ? null : model.GetTree(variant);
            string prefix = variant is null ? "" : $"in variant {variant.Name.Text}: ";
            var context = new EvaluationContext(model, bindings, diagnostics, prefix, networkTree.Source, network.Name);
            try
            {
                return Build(network, variant, networkTree, variantTree, context);
            }
            catch (EvaluationAbortedException)
            {
                return null;
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A checker bug must not take the compiler down with it; the user gets a diagnostic to report instead.
                context.Report(DiagnosticCatalog.InternalError, networkTree.Source, network.Name.Span, variant?.Name.Text ?? network.Name.Text, exception.Message);
                return null;
            }
        }

        private static NetworkReport? Build(NetworkDeclaration network, VariantDeclaration? variant, SyntaxTree networkTree, SyntaxTree? variantTree, EvaluationContext context)
        {
            var statements = new StatementEvaluator(context);
            var frame = new Frame(networkTree.Source);
            var variantFrame = variantTree is null ? null : new Frame(variantTree.Source);
            if (!BindParameters(network, variant, frame, variantFrame, statements, context))
                return null;

            var rows = new List<LayerReport>();
            var sequence = new Sequence("", 0, rows);
            FeatureShape? input = null;
            bool sawInput = false;
            foreach (var statement in network.Body.Statements)
            {
                if (statement is InputStatement inputStatement)
                {
                    if (sawInput)
                        continue;
                    sawInput = true;
                    input = variant?.Input is { } overridden && variantFrame is not null
                        ? Shape(overridden, variantFrame, statements)
                        : Shape(inputStatement.Shape, frame, statements);
                    frame.In = input is null ? null : new IntValue(input.Channels);
                    frame.Current = input;
                    continue;
                }
                frame.Current = statements.Evaluate(statement, frame, frame.Current, sequence);
            }
            if (input is null)
                return null;

            long parameters = rows.Where(r => r.Depth == 0).Sum(r => r.Parameters);
            long macs = rows.Where(r => r.Depth == 0).Sum(r => r.Macs);
            var declaration = (Declaration?)variant ?? network;
            var location = SourceLocation.From((variantTree ?? networkTree).Source, declaration.Name.Span);
            // After an error the evaluation may have gone on with a best-effort shape: the network's output is then unknown.
            bool known = !rows.Any(row => row.Output is null);
            var outputs = frame.Outputs ?? new List<(string Name, FeatureShape? Shape, string Source)>();
            if (outputs.Any(o => o.Shape is null))
                known = false;
            var output = !known ? null : outputs.Count > 0 ? outputs[0].Shape : frame.Current;
            var named = known && outputs.Count > 1 ? outputs.Select(o => new NamedFeature(o.Name, o.Shape!, o.Source)).ToEquatableArray() : EquatableArray<NamedFeature>.Empty;
            return new NetworkReport(declaration.Name.Text, network.Name.Text, variant?.Name.Text, input, output,
                rows.ToEquatableArray(), parameters, macs, CostModel.SizeMiB(parameters), location) { Outputs = named };
        }

        private static bool BindParameters(NetworkDeclaration network, VariantDeclaration? variant, Frame frame, Frame? variantFrame,
            StatementEvaluator statements, EvaluationContext context)
        {
            var bound = variant is null ? null : context.Bindings.ArgumentsOf(variant);
            for (int i = 0; i < network.Parameters.Count; i++)
            {
                var parameter = network.Parameters[i];
                var type = DeclarationBinder.ParameterTypeOf(parameter.Type);
                Value? value;
                if (bound?.ByParameter[i] is { } argument && variantFrame is not null)
                {
                    value = statements.Conversions.ToParameter(statements.Expressions.Evaluate(argument.Value, variantFrame), type, argument.Value, variantFrame,
                        $"argument '{parameter.Name.Text}' of {network.Name.Text}");
                }
                else if (parameter.Default is { } fallback)
                {
                    value = statements.Conversions.ToParameter(statements.Expressions.Evaluate(fallback, frame), type, fallback, frame,
                        $"the default of '{parameter.Name.Text}'");
                }
                else
                {
                    return false;
                }
                if (context.Model.GetDeclaredSymbol(parameter.Name) is { } symbol)
                    frame.Set(symbol, value);
            }
            return true;
        }

        private static FeatureShape? Shape(ShapeSyntax shape, Frame frame, StatementEvaluator statements)
        {
            var expressions = statements.Expressions;
            var channels = LayerArguments.ChannelCount(shape.Channels, expressions.Evaluate(shape.Channels, frame), expressions, frame);
            var height = Spatial(shape.Height, "input height", frame, statements);
            var width = Spatial(shape.Width, "input width", frame, statements);
            return channels is null || height is null || width is null ? null : FeatureShape.Spatial(channels.Value, height.Value, width.Value);
        }

        private static long? Spatial(Expression expression, string what, Frame frame, StatementEvaluator statements)
        {
            var context = statements.Expressions.Context;
            if (statements.Conversions.ToInt(statements.Expressions.Evaluate(expression, frame), expression, frame, what) is not { } size)
                return null;
            if (size < 1)
            {
                context.Report(DiagnosticCatalog.NotPositive, frame.Source, expression.Span, what, size);
                return null;
            }
            if (size > EvaluationContext.MaxSpatial)
            {
                context.Report(DiagnosticCatalog.SpatialTooLarge, frame.Source, expression.Span, size);
                return null;
            }
            return size;
        }
    }
}
