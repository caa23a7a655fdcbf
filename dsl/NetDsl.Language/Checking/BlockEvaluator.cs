using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>One use of a block: its arguments in the caller's frame, its body in a fresh frame whose <c>in</c> is the incoming channels.</summary>
    internal sealed class BlockEvaluator
    {
        private readonly StatementEvaluator statements;
        private readonly EvaluationContext context;

        public BlockEvaluator(StatementEvaluator statements, EvaluationContext context)
        {
            this.statements = statements;
            this.context = context;
        }

        public FeatureShape? Evaluate(LayerStatement use, BlockDeclaration block, Frame caller, FeatureShape? input, Sequence sequence)
        {
            string path = sequence.Next(use.Label, caller, context);
            var bound = context.Bindings.ArgumentsOf(use);
            var given = new Value?[block.Parameters.Count];
            for (int i = 0; i < block.Parameters.Count; i++)
            {
                if (bound?.ByParameter[i] is not { } argument)
                    continue;
                var parameter = block.Parameters[i];
                var value = statements.Expressions.Evaluate(argument.Value, caller);
                given[i] = statements.Conversions.ToParameter(value, DeclarationBinder.ParameterTypeOf(parameter.Type), argument.Value, caller,
                    $"argument '{parameter.Name.Text}' of {block.Name.Text}");
            }
            string description = Describe(block, use, given);
            var arity = FeatureArity.Of(block.Body);
            if (arity.IsGraph)
                return Graph(use, block, caller, input, sequence, path, given, bound, description);

            return statements.Container(path, block.Name.Text, LayerStructure.Sequence, description, use.Span, caller, sequence, (inner, _) =>
            {
                if (context.Bindings.RecursiveBlocks.Contains(block) || context.Model.GetTree(block) is not { } tree)
                    return null;
                if (context.CallDepth >= EvaluationContext.MaxCallDepth)
                {
                    context.Report(DiagnosticCatalog.CallTooDeep, caller.Source, use.Name.Span, block.Name.Text);
                    return null;
                }
                var frame = new Frame(tree.Source) { In = input is null ? null : new IntValue(input.Channels), Current = input, BodyDepth = inner.Depth };
                BindParameters(block, bound, given, frame);
                context.CallDepth++;
                try
                {
                    return statements.EvaluateBody(block.Body, frame, input, inner);
                }
                finally
                {
                    context.CallDepth--;
                }
            });
        }

        /// <summary>
        /// A block with <c>inputs</c> or <c>outputs</c>: it takes all current feature maps and its outputs become the current
        /// ones. Its row shows the first output.
        /// </summary>
        private FeatureShape? Graph(LayerStatement use, BlockDeclaration block, Frame caller, FeatureShape? input, Sequence sequence, string path,
            Value?[] given, BoundArguments? bound, string description)
        {
            var inputs = caller.Bundle ?? new List<FeatureShape?> { input };
            List<FeatureShape?> outputs = new List<FeatureShape?>();
            var first = statements.Container(path, block.Name.Text, LayerStructure.Sequence, description, use.Span, caller, sequence, (inner, _) =>
            {
                if (context.Bindings.RecursiveBlocks.Contains(block) || context.Model.GetTree(block) is not { } tree)
                    return null;
                if (context.CallDepth >= EvaluationContext.MaxCallDepth)
                {
                    context.Report(DiagnosticCatalog.CallTooDeep, caller.Source, use.Name.Span, block.Name.Text);
                    return null;
                }
                var single = inputs.Count == 1 ? inputs[0] : null;
                var frame = new Frame(tree.Source)
                {
                    In = inputs[0] is { } head ? new IntValue(head.Channels) : null,
                    Current = single,
                    Bundle = inputs.Count > 1 ? new List<FeatureShape?>(inputs) : null,
                    BodyDepth = inner.Depth,
                    // The block's inputs: "" the first, "#1", "#2", ... the others (LayerReport.Sources).
                    Producers = inputs.Select((_, i) => i == 0 ? "" : "#" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
                };
                BindParameters(block, bound, given, frame);
                context.CallDepth++;
                try
                {
                    var last = statements.EvaluateBody(block.Body, frame, single, inner);
                    outputs = frame.Outputs?.Select(o => o.Shape).ToList() ?? frame.Bundle ?? new List<FeatureShape?> { last };
                    return outputs[0];
                }
                finally
                {
                    context.CallDepth--;
                }
            });
            caller.Bundle = outputs.Count > 1 ? outputs : null;
            return outputs.Count > 1 ? null : first;
        }

        private void BindParameters(BlockDeclaration block, BoundArguments? bound, Value?[] given, Frame frame)
        {
            for (int i = 0; i < block.Parameters.Count; i++)
            {
                var parameter = block.Parameters[i];
                if (context.Model.GetDeclaredSymbol(parameter.Name) is not { } symbol)
                    continue;
                var value = bound?.ByParameter[i] is not null
                    ? given[i]
                    : parameter.Default is { } fallback
                        ? statements.Conversions.ToParameter(statements.Expressions.Evaluate(fallback, frame), DeclarationBinder.ParameterTypeOf(parameter.Type),
                            fallback, frame, $"the default of '{parameter.Name.Text}'")
                        : null;
                frame.Set(symbol, value);
            }
        }

        /// <summary><c>InvertedResidual(24, expand: 6, s: 2)</c>: the arguments as written, with their values.</summary>
        private static string Describe(BlockDeclaration block, LayerStatement use, Value?[] given)
        {
            var parts = new List<string>();
            foreach (var argument in use.Arguments ?? EquatableArray<Argument>.Empty)
            {
                int index = argument.Name is null
                    ? parts.Count
                    : block.Parameters.ToList().FindIndex(p => p.Name.Text == argument.Name.Text);
                string value = index >= 0 && index < given.Length && given[index] is { } v ? v.ToString() : "?";
                parts.Add(argument.Name is null ? value : $"{argument.Name.Text}: {value}");
            }
            return $"{block.Name.Text}({string.Join(", ", parts)})";
        }
    }
}
