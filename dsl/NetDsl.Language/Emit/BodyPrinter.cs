using System.Collections.Generic;
using System.Linq;
using NetDsl.Binding;

namespace NetDsl.Emit
{
    /// <summary>
    /// Prints the statements of a bound body as constructor code: each statement that makes a module appends it to the
    /// current sequence and advances the tracked <c>FeatureShape</c>; loops stay loops and <c>let</c>s become locals and
    /// local functions. This file: bodies, lets and the structured statements; <c>BodyPrinter.Layers.cs</c>: layers and
    /// block uses; <c>BodyPrinter.Paths.cs</c>: parallel and split.
    /// </summary>
    internal sealed partial class BodyPrinter
    {
        private const string Composition = "global::NetDsl.Runtime.Composition";
        private const string Runtime = "global::NetDsl.Runtime";
        private const string Nn = "global::TorchSharp.torch.nn";
        private const string ModuleType = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";

        private readonly SourceWriter writer;
        private readonly Locals locals;
        private readonly ExpressionPrinter expressions;
        private readonly CheckPrinter checks;
        private readonly string namespaceName;

        public BodyPrinter(SourceWriter writer, Locals locals, string namespaceName, CheckPlan plan)
        {
            this.writer = writer;
            this.locals = locals;
            this.namespaceName = namespaceName;
            expressions = new ExpressionPrinter(locals);
            checks = new CheckPrinter(writer, expressions, locals, plan);
        }

        private NameAllocator Names => locals.Names;

        /// <summary>The labelled parts directly in the declaration's body, which become typed properties.</summary>
        public List<LabelProperty> Properties { get; } = new List<LabelProperty>();

        public ExpressionPrinter Expressions => expressions;

        public CheckPrinter Checks => checks;

        /// <summary>
        /// The statements of a declaration's body, each argument check its plan hoists written before the first statement
        /// that may need it; <paramref name="onInput"/> writes a network's <c>input</c>.
        /// </summary>
        public void PrintDeclarationBody(BoundBody body, Sequence where, System.Action<BoundInput>? onInput = null)
        {
            // The body's own functions are C# local functions, callable from anywhere in it: a check at the top may call one.
            foreach (var function in body.Statements.OfType<BoundFunctionDefinition>())
                locals.Define(function.Function, where.Block);
            for (var i = 0; i < body.Statements.Count; i++)
            {
                checks.WriteDue(i, where);
                switch (body.Statements[i])
                {
                    case BoundInput input:
                        onInput?.Invoke(input);
                        break;
                    case BoundFunctionDefinition _:
                        break;
                    default:
                        PrintStatement(body.Statements[i], where);
                        break;
                }
            }
            checks.WriteDue(int.MaxValue, where);
        }

        /// <summary>The statements of a nested body.</summary>
        public void PrintBody(BoundBody body, Sequence where)
        {
            foreach (var statement in body.Statements)
                PrintStatement(statement, where);
        }

        /// <summary>The local functions a block's calls needed, at its end (so they can capture the block's locals).</summary>
        public void FlushLocalFunctions(CodeBlock block)
        {
            foreach (var function in block.LocalFunctions)
                writer.WriteLine(function);
        }

        private void PrintStatement(BoundStatement statement, Sequence where)
        {
            // Which named feature map the current one is, while that is known: a `from` of it then needs no code.
            if (statement is not (BoundNameFeatures or BoundFrom or BoundLet or BoundFunctionDefinition or BoundOutputs))
                currentSlot = null;
            switch (statement)
            {
                case BoundLet let:
                {
                    var value = expressions.Code(let.Value, where);
                    var code = Names.Allocate(CSharpNames.Escape(let.Variable.Name));
                    writer.WriteLine($"{ExpressionPrinter.TypeOf(let.Value.Type)} {code} = {value};");
                    locals.Name(let.Variable, code);
                    break;
                }
                case BoundFunctionDefinition function:
                    locals.Define(function.Function, where.Block);
                    break;
                case BoundBuiltinLayer layer:
                    AppendModule(BuiltinLayer(layer, where), "global::" + layer.Module, layer.Label, where);
                    AfterShared(layer.SharedBy, where);
                    break;
                case BoundBlockUse { Graph: { } graph } use:
                    PrintGraphBlockUse(use, graph, where);
                    break;
                case BoundBlockUse use:
                {
                    var className = $"global::{namespaceName}.{CSharpNames.Escape(use.Block)}";
                    AppendModule(BlockUse(use, className, where, where.Shape), className, use.Label, where);
                    writer.WriteLine($"{where.Shape} = {lastAppended}.OutputShape;");
                    AfterShared(use.SharedBy, where);
                    break;
                }
                case BoundActivationLayer activation:
                    AppendModule($"{Composition}.Activations.Create({expressions.Code(activation.Activation, where)})", ModuleType, activation.Label, where);
                    AfterShared(activation.SharedBy, where);
                    break;
                case BoundNameFeatures named:
                    PrintNameFeatures(named, where);
                    break;
                case BoundInputs inputs:
                    PrintInputs(inputs, where);
                    break;
                case BoundFrom from:
                    PrintFrom(from, where);
                    break;
                case BoundMerge merge:
                    PrintMerge(merge, where);
                    break;
                case BoundResize resize:
                    PrintResize(resize, where);
                    break;
                case BoundOutputs _:
                    // Written by the declaration's emitter at the end of the constructor.
                    break;
                case BoundGroup group:
                    PrintGroup(group, where);
                    break;
                case BoundRepeat repeat:
                    PrintRepeat(repeat, where);
                    break;
                case BoundFor loop:
                    PrintFor(loop, where);
                    break;
                case BoundIf conditional:
                    PrintIf(conditional, where, isElseIf: false);
                    break;
                case BoundPaths paths:
                    PrintPaths(paths, where);
                    break;
                case BoundResidual residual:
                    PrintResidual(residual, where);
                    break;
                case BoundDense dense:
                    PrintDense(dense, where);
                    break;
            }
            // After an if or a loop, which map is current depends on the path taken.
            if (statement is BoundIf or BoundRepeat or BoundFor)
                currentSlot = null;
        }

        private void PrintGroup(BoundGroup group, Sequence where)
        {
            var local = Names.Allocate(CSharpNames.Escape(group.Label));
            var type = Composition + ".SequentialModule";
            writer.WriteLine($"var {local} = {where.Append}({CSharpNames.Literal(group.Label)}, new {type}({CSharpNames.Literal(group.Label)}));");
            var property = Property(group.Label, type, where);
            if (property != null)
                writer.WriteLine($"this.{property} = {local};");
            PrintBody(group.Body, where.Within(local));
        }

        private void PrintRepeat(BoundRepeat repeat, Sequence where)
        {
            var count = checks.LoopCount(repeat.Count, CheckKind.RepeatCount, where);
            var index = LoopIndex(repeat.Index);
            var block = new CodeBlock();
            writer.OpenBrace($"for (long {index} = 0; {index} < {count}; {index}++)");
            PrintBody(repeat.Body, where.Nested(block, loop: true, conditional: false));
            FlushLocalFunctions(block);
            writer.CloseBrace();
        }

        /// <summary>The C# loop variable of <c>repeat</c> or <c>dense</c>: <c>i</c> when the source names none.</summary>
        private string LoopIndex(BoundVariable? index)
        {
            var code = Names.Allocate(index == null ? "i" : CSharpNames.Escape(index.Name));
            if (index != null)
                locals.Name(index, code);
            return code;
        }

        private void PrintFor(BoundFor loop, Sequence where)
        {
            var block = new CodeBlock();
            writer.OpenBrace(ForEachHeader(loop, where));
            PrintBody(loop.Body, where.Nested(block, loop: true, conditional: false));
            FlushLocalFunctions(block);
            writer.CloseBrace();
        }

        /// <summary>
        /// <c>foreach</c> over a for loop's range (its ends computed once, its length checked before) or list, taking each item
        /// apart when the loop destructures tuples. Each pass has its own variable, which a split's path builders capture.
        /// </summary>
        private string ForEachHeader(BoundFor loop, Sequence where)
        {
            if (loop.Range is { } range)
            {
                var (from, to) = RangeBounds(range, where);
                return $"foreach (var {LoopVariable(loop.Variables[0])} in {Composition}.DslMath.Range({from}, {to}))";
            }
            var source = expressions.Code(loop.Source!, where);
            if (loop.Destructures)
                return $"foreach (var ({string.Join(", ", loop.Variables.Select(LoopVariable))}) in {source})";
            return $"foreach (var {LoopVariable(loop.Variables[0])} in {source})";
        }

        private string LoopVariable(BoundVariable variable)
        {
            var code = Names.Allocate(CSharpNames.Escape(variable.Name));
            locals.Name(variable, code);
            return code;
        }

        /// <summary>The C# of a range's ends; when they depend on the arguments, first the check of its length (NN0300).</summary>
        private (string From, string To) RangeBounds(BoundRange range, Sequence where)
        {
            var from = expressions.Code(range.From, where);
            var to = expressions.Code(range.To, where);
            checks.RangeLength(range, from, to);
            return (from, to);
        }

        private void PrintIf(BoundIf conditional, Sequence where, bool isElseIf)
        {
            writer.OpenBrace($"{(isElseIf ? "else if" : "if")} ({expressions.Code(conditional.Condition, where)})");
            // Both branches start with the same current feature maps (and end with as many: a checker rule).
            int features = currentFeatures;
            PrintNestedBody(conditional.Then, where);
            writer.CloseBrace();
            int afterThen = currentFeatures;
            currentFeatures = features;
            currentSlot = null;
            if (conditional.Else == null)
                return;
            if (conditional.Else.Statements.Count == 1 && conditional.Else.Statements[0] is BoundIf elseIf)
            {
                PrintIf(elseIf, where, isElseIf: true);
                return;
            }
            writer.OpenBrace("else");
            PrintNestedBody(conditional.Else, where);
            writer.CloseBrace();
            currentFeatures = afterThen;
        }

        private void PrintNestedBody(BoundBody body, Sequence where)
        {
            var block = new CodeBlock();
            PrintBody(body, where.Nested(block, loop: false, conditional: true));
            FlushLocalFunctions(block);
        }

        private void PrintResidual(BoundResidual residual, Sequence where)
        {
            var input = Names.Allocate("residualInput");
            var body = Names.Allocate("body");
            writer.WriteLine($"var {input} = {where.Shape};");
            writer.WriteLine($"var {body} = new {Composition}.SequentialModule(\"body\");");
            PrintBody(residual.Body, where.Within(body));
            var keepsShape = $"{Composition}.Require.ResidualKeepsShape({input}, {where.Shape});";
            // The skip exists only where the condition holds (its checks with it); otherwise the body stands alone, still
            // registered as `body` so the state-dict keys are those of the checker's report either way.
            if (residual.When != null)
                writer.OpenBrace($"if ({expressions.Code(residual.When, where)})");
            string module;
            switch (residual.Project)
            {
                case BoundBoolLiteral { Value: true }:
                    module = $"new {Runtime}.Residual({body}, {where.Shape} == {input} ? null : {Composition}.Layers.Projection({input}, {where.Shape}))";
                    break;
                case BoundBoolLiteral { Value: false }:
                    writer.WriteLine(keepsShape);
                    module = $"new {Runtime}.Residual({body})";
                    break;
                default:
                {
                    // A projection that depends on the arguments: decided when the module is built.
                    var project = Names.Allocate("project");
                    writer.WriteLine($"var {project} = {expressions.Code(residual.Project, where)};");
                    writer.WriteLine($"if (!{project}) {keepsShape}");
                    module = $"new {Runtime}.Residual({body}, !{project} || {where.Shape} == {input} ? null : {Composition}.Layers.Projection({input}, {where.Shape}))";
                    break;
                }
            }
            writer.WriteLine($"{where.Append}({module});");
            if (residual.When != null)
            {
                writer.CloseBrace();
                writer.OpenBrace("else");
                var noSkip = Names.Allocate("noSkip");
                writer.WriteLine($"var {noSkip} = new {Composition}.SequentialModule(\"residual\");");
                writer.WriteLine($"{noSkip}.Append(\"body\", {body});");
                writer.WriteLine($"{where.Append}({noSkip});");
                writer.CloseBrace();
            }
        }

        private void PrintDense(BoundDense dense, Sequence where)
        {
            var layers = Names.Allocate("denseLayers");
            var count = checks.LoopCount(dense.Count, CheckKind.DenseCount, where);
            var index = LoopIndex(dense.Index);
            writer.WriteLine($"var {layers} = new global::System.Collections.Generic.List<{ModuleType}>();");
            writer.OpenBrace($"for (long {index} = 0; {index} < {count}; {index}++)");
            var layer = Names.Allocate("layer");
            var shape = Names.Allocate("layerShape");
            writer.WriteLine($"var {layer} = new {Composition}.SequentialModule(\"layer\");");
            writer.WriteLine($"var {shape} = {where.Shape};");
            var block = new CodeBlock();
            PrintBody(dense.Body, new Sequence(shape, where.InChannels, layer, block, false, true, where.InConditional));
            FlushLocalFunctions(block);
            writer.WriteLine($"{Composition}.Require.DenseLayerKeepsSize({where.Shape}, {shape});");
            writer.WriteLine($"{layers}.Add({layer});");
            writer.WriteLine($"{where.Shape} = {where.Shape} with {{ Channels = {where.Shape}.Channels + {shape}.Channels }};");
            writer.CloseBrace();
            writer.WriteLine($"{where.Append}(new {Runtime}.DenseBlock({layers}.ToArray()));");
        }
    }
}
