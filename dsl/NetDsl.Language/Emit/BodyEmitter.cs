using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Emits the statements of a network or block body as constructor code: each statement that makes a
    /// module appends it to the current sequence and advances the tracked <c>FeatureShape</c>; loops
    /// stay loops and <c>let</c>s become locals and local functions.
    /// </summary>
    internal sealed class BodyEmitter
    {
        private const string Composition = "global::NetDsl.Runtime.Composition";
        private const string Runtime = "global::NetDsl.Runtime";
        private const string Nn = "global::TorchSharp.torch.nn";
        private const string Modules = "global::TorchSharp.Modules";
        private const string ModuleType = "global::TorchSharp.torch.nn.Module<global::TorchSharp.torch.Tensor, global::TorchSharp.torch.Tensor>";

        private readonly SourceWriter writer;
        private readonly NameAllocator names;
        private readonly ExpressionTranslator expressions;
        private readonly IReadOnlyDictionary<string, BlockSignature> blocks;
        private readonly string namespaceName;

        public BodyEmitter(SourceWriter writer, NameAllocator names, IReadOnlyDictionary<string, BlockSignature> blocks, string namespaceName)
        {
            this.namespaceName = namespaceName;
            this.writer = writer;
            this.names = names;
            this.blocks = blocks;
            expressions = new ExpressionTranslator(names);
        }

        public List<LabelProperty> Properties { get; } = new List<LabelProperty>();

        public ExpressionTranslator Expressions => expressions;

        /// <summary>The statements of one body, then the local functions they defined (so those can capture the body's locals).</summary>
        public void EmitBody(Body body, Frame frame, System.Action<InputStatement>? onInput = null)
        {
            var statements = body.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var next = i + 1 < statements.Count ? statements[i + 1] : null;
                if (statements[i] is InputStatement input)
                    onInput?.Invoke(input);
                else
                    EmitStatement(statements[i], next, frame);
            }
        }

        public void FlushLocalFunctions(CodeBlock block)
        {
            foreach (var function in block.LocalFunctions)
                writer.WriteLine(function);
        }

        private void EmitStatement(Statement statement, Statement? next, Frame frame)
        {
            switch (statement)
            {
                case LetStatement let:
                {
                    var value = expressions.Translate(let.Value, frame);
                    var code = names.Allocate(CSharpNames.Escape(let.Name.Text));
                    writer.WriteLine($"{value.Type.CSharp} {code} = {value.Code};");
                    frame.Scope.Define(let.Name.Text, new ValueSymbol(code, value.Type));
                    break;
                }
                case FunctionStatement function:
                    frame.Scope.Define(function.Name.Text, new FunctionSymbol(function, frame.Scope, frame.Block));
                    break;
                case LayerStatement layer:
                    EmitLayer(layer, next, frame);
                    break;
                case GroupStatement group:
                    EmitGroup(group, frame);
                    break;
                case RepeatStatement repeat:
                    EmitRepeat(repeat, frame);
                    break;
                case ForStatement loop:
                    EmitFor(loop, frame);
                    break;
                case IfStatement conditional:
                    EmitIf(conditional, frame, isElseIf: false);
                    break;
                case ParallelStatement parallel:
                    EmitPaths(parallel.Paths, frame, split: false, parallel.Merge);
                    break;
                case SplitStatement split:
                    EmitPaths(split.Paths, frame, split: true, MergeKind.Concat);
                    break;
                case ResidualStatement residual:
                    EmitResidual(residual, frame);
                    break;
                case DenseStatement dense:
                    EmitDense(dense, frame);
                    break;
                case InputStatement input:
                    throw new EmitException(input.Span, "'input' belongs at the top of a network");
                case PathStatement path:
                    throw new EmitException(path.Span, "'path' is only allowed inside 'parallel' or 'split'");
            }
        }

        // ---- layers ----

        private void EmitLayer(LayerStatement layer, Statement? next, Frame frame)
        {
            var name = layer.Name.Text;
            var (code, type) = blocks.TryGetValue(name, out var block) ? BlockUse(layer, block, frame)
                : frame.Scope.Lookup(name) is ValueSymbol value && value.Type == DslType.Activation
                    ? ($"{Composition}.Activations.Create({value.Code})", ModuleType)
                    : BuiltinLayer(layer, next, frame);
            AppendModule(code, type, layer.Label, frame);
            if (blocks.ContainsKey(name))
                writer.WriteLine($"{frame.Shape} = {LastAppended}.OutputShape;");
        }

        private string LastAppended = "";

        private void AppendModule(string module, string type, Identifier? label, Frame frame)
        {
            var call = label == null ? $"{frame.Append}({module})" : $"{frame.Append}({CSharpNames.Literal(label.Text)}, {module})";
            var property = label == null ? null : Property(label, type, frame);
            if (property != null)
            {
                writer.WriteLine($"this.{property} = {call};");
                LastAppended = "this." + property + (frame.InConditional ? "!" : "");
            }
            else if (type.StartsWith($"global::{namespaceName}."))
            {
                // A block: keep it in a local to read its output shape.
                var local = names.Allocate(label == null ? "block" : CSharpNames.Escape(label.Text));
                writer.WriteLine($"var {local} = {call};");
                LastAppended = local;
            }
            else
            {
                writer.WriteLine(call + ";");
                LastAppended = "";
            }
        }

        private string? Property(Identifier label, string type, Frame frame)
        {
            if (!frame.IsClassLevel)
                return null;
            var name = CSharpNames.ToPascalCase(label.Text);
            Properties.Add(new LabelProperty(name, type, frame.InConditional, label.Text));
            return name;
        }

        private (string Code, string Type) BlockUse(LayerStatement layer, BlockSignature block, Frame frame)
        {
            var arguments = new List<string> { frame.Shape };
            foreach (var (argument, index) in (layer.Arguments ?? EquatableArray<Argument>.Empty).Select((a, i) => (a, i)))
            {
                var parameter = argument.Name == null
                    ? (index < block.Parameters.Count ? block.Parameters[index] : null)
                    : block.Parameters.FirstOrDefault(p => p.Name == argument.Name.Text);
                if (parameter == null)
                    throw new EmitException(argument.Span, $"block '{block.Name}' has no such argument");
                var value = expressions.Translate(argument.Value, frame);
                var code = parameter.Type == ParameterType.Int ? expressions.AsInt(value, $"argument '{parameter.Name}' of {block.Name}") : value.Code;
                arguments.Add(argument.Name == null ? code : $"{CSharpNames.Escape(parameter.Name)}: {code}");
            }
            var className = $"global::{namespaceName}.{CSharpNames.Escape(block.Name)}";
            return ($"new {className}({string.Join(", ", arguments)})", className);
        }

        /// <summary>
        /// The construction of a built-in layer. Parameters, defaults and module types come from
        /// <see cref="LayerCatalogue"/>; an argument left out is passed as the catalogue's default, except where the
        /// runtime factory's own default is that value (bn's eps and momentum, which TorchSharp shares with PyTorch).
        /// </summary>
        private (string Code, string Type) BuiltinLayer(LayerStatement layer, Statement? next, Frame frame)
        {
            var name = layer.Name.Text;
            var definition = LayerCatalogue.Layers.TryGetValue(name, out var found) ? found
                : throw new EmitException(layer.Name.Span, $"unknown layer '{name}'");
            var args = new LayerArguments(layer, expressions, frame);
            args.Bind(definition.ParameterNames.ToArray());
            string Default(string parameter) => DefaultLiteral(definition[parameter]);
            var module = "global::" + definition.Module;
            var shape = frame.Shape;
            // The checker's auto-bias rule (DefaultRule.AutoBias): the next statement of the body is the built-in bn.
            var autoBias = next is LayerStatement following && following.Name.Text == "bn" && frame.Scope.Lookup("bn") == null ? "false" : "true";
            switch (definition.Kind)
            {
                case BuiltinLayerKind.Conv:
                {
                    var outChannels = args.Channels("out");
                    var kernel = args.Int("k", Default("k"));
                    var dilation = args.Int("dilation", Default("dilation"));
                    var groups = args.Int("groups", Default("groups"));
                    CheckGroups(groups, shape, name);
                    return ($"{Composition}.Layers.Conv2d(ref {shape}, {outChannels}, kernel: {kernel}, stride: {args.Int("s", Default("s"))}, " +
                            $"padding: {args.Int("pad", DefaultPadding(kernel, dilation))}, dilation: {dilation}, groups: {groups}, " +
                            $"bias: {args.Bool("bias", autoBias)})", module);
                }
                case BuiltinLayerKind.DepthwiseConv:
                {
                    var kernel = args.Int("k", Default("k"));
                    var dilation = args.Int("dilation", Default("dilation"));
                    return ($"{Composition}.Layers.Conv2d(ref {shape}, {(args.Has("out") ? args.Channels("out") : shape + ".Channels")}, " +
                            $"kernel: {kernel}, stride: {args.Int("s", Default("s"))}, padding: {args.Int("pad", DefaultPadding(kernel, dilation))}, " +
                            $"dilation: {dilation}, groups: {shape}.Channels, bias: {args.Bool("bias", autoBias)}, layer: \"{name}\")", module);
                }
                case BuiltinLayerKind.CompConv:
                    return ($"{Composition}.Layers.CompConv(ref {shape}, {args.Channels("out")}, kernel: {args.Int("k", Default("k"))}, " +
                            $"stride: {args.Int("s", Default("s"))}, depth: {(args.Has("d") ? args.Int("d") : "null")}, c0: {args.Int("c0", Default("c0"))})",
                        module);
                case BuiltinLayerKind.Linear:
                    return ($"{Composition}.Layers.Linear(ref {shape}, {args.Channels("out")}, bias: {args.Bool("bias", Default("bias"))})", module);
                case BuiltinLayerKind.BatchNorm:
                {
                    var kind = frame.ShapeState.IsFlat ? "BatchNorm1d" : "BatchNorm2d";
                    var options = (args.Has("eps") ? $", eps: {args.Float("eps")}" : "") + (args.Has("momentum") ? $", momentum: {args.Float("momentum")}" : "");
                    return ($"{Nn}.{kind}({shape}.Channels{options})", Modules + "." + kind);
                }
                case BuiltinLayerKind.MaxPool:
                case BuiltinLayerKind.AvgPool:
                {
                    var isMax = definition.Kind == BuiltinLayerKind.MaxPool;
                    // As the checker decides: without a window size the pooling is global, whatever else is given (NN0192).
                    if (definition.IsGlobalPooling(args.GivenNames))
                        return ($"{Composition}.Layers.{(isMax ? "GlobalMaxPool" : "GlobalAvgPool")}(ref {shape})", "global::" + definition.GlobalModule);
                    var kernel = args.Int("k");
                    return ($"{Composition}.Layers.{(isMax ? "MaxPool" : "AvgPool")}(ref {shape}, kernel: {kernel}, stride: {args.Int("s", kernel)}, " +
                            $"padding: {args.Int("pad", Default("pad"))}, ceil: {args.Bool("ceil", Default("ceil"))})", module);
                }
                case BuiltinLayerKind.Flatten:
                    frame.ShapeState.IsFlat = true;
                    return ($"{Composition}.Layers.Flatten(ref {shape})", module);
                case BuiltinLayerKind.Dropout:
                    return ($"{Nn}.Dropout({args.Float("p", Default("p"))})", module);
                case BuiltinLayerKind.DropPath:
                    return ($"new {module}({args.Float("p")})", module);
                case BuiltinLayerKind.Shuffle:
                {
                    var groups = args.Int("groups");
                    writer.WriteLine($"{Composition}.Require.That({shape}.Channels % {groups} == 0, \"{DiagnosticCatalog.ShuffleGroups.Code}\", " +
                                     $"{StringLiterals.PartialFormat(DiagnosticCatalog.ShuffleGroups, null, null)}, {groups}, {shape}.Channels);");
                    return ($"new {module}({groups})", module);
                }
                case BuiltinLayerKind.CReLU:
                    return ($"{Composition}.Layers.CReLU(ref {shape})", module);
                case BuiltinLayerKind.SqueezeExcite:
                {
                    var squeeze = args.Has("squeeze") ? args.Channels("squeeze")
                        : $"global::System.Math.Max(1, global::NetDsl.Runtime.Composition.DslMath.FloorDiv({shape}.Channels, {args.Int("reduce", Default("reduce"))}))";
                    return ($"new {module}({shape}.Channels, {squeeze}, {Composition}.Activations.Create({args.Activation("act", Default("act"))}), " +
                            $"{Composition}.Activations.Create({args.Activation("gate", Default("gate"))}))", module);
                }
                default:
                    var activation = LayerCatalogue.Activation(name)!;
                    return ($"{Nn}.{activation.TorchFactory}()", "global::" + activation.TorchModule);
            }
        }

        /// <summary>The catalogue's constant default of a parameter as C#.</summary>
        private static string DefaultLiteral(LayerParameter parameter) => parameter.Type switch
        {
            Model.DslType.Int => parameter.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Model.DslType.Float => ConstantFolder.FloatLiteral(parameter.FloatValue),
            Model.DslType.Bool => parameter.BoolValue ? "true" : "false",
            _ => ExpressionTranslator.ActivationValue(parameter.ActivationValue),
        };

        /// <summary><see cref="DefaultRule.SamePadding"/>: <c>dilation * (k - 1) / 2</c>, folded when both are literals.</summary>
        private static string DefaultPadding(string kernel, string dilation)
        {
            if (long.TryParse(kernel, out var k) && long.TryParse(dilation, out var d))
                return (d * (k - 1) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return dilation == "1" ? $"({kernel} - 1) / 2" : $"{dilation} * ({kernel} - 1) / 2";
        }

        private void CheckGroups(string groups, string shape, string layer)
        {
            if (groups == "1")
                return;
            writer.WriteLine($"{Composition}.Require.That({shape}.Channels % {groups} == 0, \"{DiagnosticCatalog.GroupsDoNotDivide.Code}\", " +
                             $"{StringLiterals.PartialFormat(DiagnosticCatalog.GroupsDoNotDivide, null, "input", null, layer)}, {groups}, {shape}.Channels);");
        }

        // ---- structure ----

        private void EmitGroup(GroupStatement group, Frame frame)
        {
            var local = names.Allocate(CSharpNames.Escape(group.Label.Text));
            var type = Composition + ".SequentialModule";
            writer.WriteLine($"var {local} = {frame.Append}({CSharpNames.Literal(group.Label.Text)}, new {type}({CSharpNames.Literal(group.Label.Text)}));");
            var property = Property(group.Label, type, frame);
            if (property != null)
                writer.WriteLine($"this.{property} = {local};");
            EmitBody(group.Body, frame.Sequence(local, frame.ShapeState).WithScope(new Scope(frame.Scope)));
        }

        private void EmitRepeat(RepeatStatement repeat, Frame frame)
        {
            var count = expressions.LoopCount(expressions.Translate(repeat.Count, frame), "repeat");
            var index = names.Allocate(repeat.Index == null ? "i" : CSharpNames.Escape(repeat.Index.Text));
            var block = new CodeBlock();
            var inner = frame.Nested(block, loop: true, conditional: false);
            if (repeat.Index != null)
                inner.Scope.Define(repeat.Index.Text, new ValueSymbol(index, DslType.Int));
            writer.OpenBrace($"for (long {index} = 0; {index} < {count}; {index}++)");
            EmitBody(repeat.Body, inner);
            FlushLocalFunctions(block);
            writer.CloseBrace();
        }

        private void EmitFor(ForStatement loop, Frame frame)
        {
            var block = new CodeBlock();
            var inner = frame.Nested(block, loop: true, conditional: false);
            var pattern = loop.Pattern.Names;
            if (loop.Source is RangeExpression range)
            {
                var (from, to) = RangeBounds(range, frame);
                var variable = names.Allocate(CSharpNames.Escape(pattern[0].Text));
                inner.Scope.Define(pattern[0].Text, new ValueSymbol(variable, DslType.Int));
                writer.OpenBrace($"for (long {variable} = {from}; {variable} <= {to}; {variable}++)");
            }
            else
            {
                var source = expressions.Translate(loop.Source, frame);
                var element = source.Type is ListType list ? list.Element : DslType.Int;
                if (loop.Pattern.IsTuple && element is TupleType tuple && tuple.Items.Count == pattern.Count)
                {
                    var variables = pattern.Select(p => names.Allocate(CSharpNames.Escape(p.Text))).ToList();
                    for (var i = 0; i < pattern.Count; i++)
                        inner.Scope.Define(pattern[i].Text, new ValueSymbol(variables[i], tuple.Items[i]));
                    writer.OpenBrace($"foreach (var ({string.Join(", ", variables)}) in {source.Code})");
                }
                else
                {
                    var variable = names.Allocate(CSharpNames.Escape(pattern[0].Text));
                    inner.Scope.Define(pattern[0].Text, new ValueSymbol(variable, element));
                    writer.OpenBrace($"foreach (var {variable} in {source.Code})");
                }
            }
            EmitBody(loop.Body, inner);
            FlushLocalFunctions(block);
            writer.CloseBrace();
        }

        private void EmitIf(IfStatement conditional, Frame frame, bool isElseIf)
        {
            var condition = expressions.Translate(conditional.Condition, frame);
            writer.OpenBrace($"{(isElseIf ? "else if" : "if")} ({condition.Code})");
            EmitNestedBody(conditional.Then, frame);
            writer.CloseBrace();
            if (conditional.Else == null)
                return;
            if (conditional.Else.Statements.Count == 1 && conditional.Else.Statements[0] is IfStatement elseIf)
            {
                EmitIf(elseIf, frame, isElseIf: true);
                return;
            }
            writer.OpenBrace("else");
            EmitNestedBody(conditional.Else, frame);
            writer.CloseBrace();
        }

        private void EmitNestedBody(Body body, Frame frame)
        {
            var block = new CodeBlock();
            EmitBody(body, frame.Nested(block, loop: false, conditional: true));
            FlushLocalFunctions(block);
        }

        /// <summary>
        /// parallel and split: each path is a sequence of its own, collected (through for/if/repeat) into a list of
        /// (label, path) pairs, so the runtime names it by its label or as path1, path2, ... like the checker.
        /// A split's part size depends on how many paths there are, so its paths are collected as builders
        /// (functions of the part's shape) and built once the count is known and checked (NN0207).
        /// </summary>
        private void EmitPaths(Body paths, Frame frame, bool split, MergeKind merge)
        {
            var kind = split ? "split" : "parallel";
            var collected = names.Allocate(kind + "Paths");
            var item = split ? $"global::System.Func<{Runtime}.FeatureShape, ({ModuleType} Path, {Runtime}.FeatureShape Output)>" : ModuleType;
            writer.WriteLine($"var {collected} = new global::System.Collections.Generic.List<(string? Label, {item} Path)>();");
            var shapes = names.Allocate(kind + "Shapes");
            if (!split)
                writer.WriteLine($"var {shapes} = new global::System.Collections.Generic.List<{Runtime}.FeatureShape>();");
            EmitPathItems(paths, frame, new PathCollector(collected, shapes, split ? null : frame.Shape));
            if (!HasFixedPathCount(paths))
                writer.WriteLine($"{Composition}.Require.That({collected}.Count > 0, \"{DiagnosticCatalog.NoPaths.Code}\", " +
                                 $"{StringLiterals.PartialFormat(DiagnosticCatalog.NoPaths, kind)});");
            var modules = collected;
            string? part = null;
            if (split)
            {
                var count = $"{collected}.Count";
                writer.WriteLine($"{Composition}.Require.That({frame.Shape}.Channels % {count} == 0, \"{DiagnosticCatalog.SplitNotEven.Code}\", " +
                                 $"{StringLiterals.PartialFormat(DiagnosticCatalog.SplitNotEven, null, null, null)}, " +
                                 $"{frame.Shape}.Channels, {count}, ({frame.Shape}.Channels / (double){count}).ToString(\"0.0##\", global::System.Globalization.CultureInfo.InvariantCulture));");
                part = names.Allocate("splitPart");
                writer.WriteLine($"var {part} = {frame.Shape} with {{ Channels = {frame.Shape}.Channels / {count} }};");
                modules = names.Allocate("splitModules");
                writer.WriteLine($"var {modules} = new global::System.Collections.Generic.List<(string? Label, {ModuleType} Path)>();");
                writer.WriteLine($"var {shapes} = new global::System.Collections.Generic.List<{Runtime}.FeatureShape>();");
                var (label, build, built) = (names.Allocate("label"), names.Allocate("build"), names.Allocate("built"));
                writer.OpenBrace($"foreach (var ({label}, {build}) in {collected})");
                writer.WriteLine($"var {built} = {build}({part});");
                writer.WriteLine($"{modules}.Add(({label}, {built}.Path));");
                writer.WriteLine($"{shapes}.Add({built}.Output);");
                writer.CloseBrace();
            }
            if (merge == MergeKind.Add)
            {
                var odd = names.Allocate("odd");
                writer.WriteLine($"var {odd} = {shapes}.FindIndex(pathShape => pathShape != {shapes}[0]);");
                writer.WriteLine($"{Composition}.Require.That({odd} < 0, \"{DiagnosticCatalog.AddShapeMismatch.Code}\", " +
                                 $"{StringLiterals.PartialFormat(DiagnosticCatalog.AddShapeMismatch, null, null, null)}, " +
                                 $"{shapes}[0], {shapes}[global::System.Math.Max(0, {odd})], {odd} + 1);");
                writer.WriteLine($"{frame.Shape} = {shapes}[0];");
            }
            else
            {
                var odd = names.Allocate("odd");
                writer.WriteLine($"var {odd} = {shapes}.FindIndex(pathShape => pathShape.Height != {shapes}[0].Height || pathShape.Width != {shapes}[0].Width);");
                writer.WriteLine($"{Composition}.Require.That({odd} < 0, \"{DiagnosticCatalog.ConcatSpatialMismatch.Code}\", " +
                                 $"{StringLiterals.PartialFormat(DiagnosticCatalog.ConcatSpatialMismatch, (split ? "split" : "concat") + " of paths", null, null, "")}, " +
                                 $"{shapes}[0].Height + \"x\" + {shapes}[0].Width, " +
                                 $"{shapes}[global::System.Math.Max(0, {odd})].Height + \"x\" + {shapes}[global::System.Math.Max(0, {odd})].Width);");
                writer.WriteLine($"{frame.Shape} = {shapes}[0] with {{ Channels = global::System.Linq.Enumerable.Sum({shapes}, pathShape => pathShape.Channels) }};");
            }
            var module = split
                ? $"new {Runtime}.ChannelSplit(global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Repeat({part}.Channels, {shapes}.Count)), {modules})"
                : $"new {Runtime}.Parallel({Runtime}.ParallelMerge.{merge}, {modules})";
            writer.WriteLine($"{frame.Append}({module});");
        }

        /// <summary>Where <see cref="EmitPathItems"/> puts each path: the list, and the shapes list and input of a parallel (null input: a split's builders).</summary>
        private sealed record PathCollector(string Paths, string Shapes, string? ParallelInput);

        private void EmitPathItems(Body body, Frame frame, PathCollector collector)
        {
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case PathStatement path:
                        EmitPath(path, frame, collector);
                        break;
                    case ForStatement loop:
                        EmitPathLoop(loop.Body, frame, collector, () => EmitForHeader(loop, frame));
                        break;
                    case RepeatStatement repeat:
                        EmitPathLoop(repeat.Body, frame, collector, () => EmitRepeatHeader(repeat, frame));
                        break;
                    case IfStatement conditional:
                    {
                        writer.OpenBrace($"if ({expressions.Translate(conditional.Condition, frame).Code})");
                        EmitPathItems(conditional.Then, frame.WithScope(new Scope(frame.Scope)), collector);
                        writer.CloseBrace();
                        if (conditional.Else != null)
                        {
                            writer.OpenBrace("else");
                            EmitPathItems(conditional.Else, frame.WithScope(new Scope(frame.Scope)), collector);
                            writer.CloseBrace();
                        }
                        break;
                    }
                    case LetStatement _:
                    case FunctionStatement _:
                        EmitStatement(statement, null, frame);
                        break;
                    default:
                        throw new EmitException(statement.Span, "only 'path { ... }' items may appear directly inside parallel or split");
                }
            }
        }

        private void EmitPath(PathStatement path, Frame frame, PathCollector collector)
        {
            var local = names.Allocate("path");
            var shape = names.Allocate(local + "Shape");
            var label = path.Label == null ? "null" : CSharpNames.Literal(path.Label.Text);
            var input = collector.ParallelInput ?? names.Allocate("pathInput");
            if (collector.ParallelInput == null)
                writer.OpenBrace($"{collector.Paths}.Add(({label}, {input} =>");
            else
                writer.OpenBrace();
            writer.WriteLine($"var {local} = new {Composition}.SequentialModule({CSharpNames.Literal(path.Label?.Text ?? "path")});");
            writer.WriteLine($"var {shape} = {input};");
            var block = new CodeBlock();
            var inner = new Frame(new Scope(frame.Scope), new ShapeState(shape, frame.ShapeState.IsFlat), frame.InChannels, local, block, false, frame.InLoop, frame.InConditional);
            EmitBody(path.Body, inner);
            FlushLocalFunctions(block);
            if (collector.ParallelInput == null)
            {
                writer.WriteLine($"return ({local}, {shape});");
                writer.CloseBrace("));");
            }
            else
            {
                writer.WriteLine($"{collector.Paths}.Add(({label}, {local}));");
                writer.WriteLine($"{collector.Shapes}.Add({shape});");
                writer.CloseBrace();
            }
        }

        private void EmitPathLoop(Body body, Frame frame, PathCollector collector, System.Func<Scope> header)
        {
            var scope = header();
            EmitPathItems(body, frame.WithScope(scope), collector);
            writer.CloseBrace();
        }

        // Path loops are foreach loops (over a range or a list): each pass gets its own loop variable, which a split's path builders capture.
        private Scope EmitForHeader(ForStatement loop, Frame frame)
        {
            var scope = new Scope(frame.Scope);
            var pattern = loop.Pattern.Names;
            if (loop.Source is RangeExpression range)
            {
                var (from, to) = RangeBounds(range, frame);
                var variable = names.Allocate(CSharpNames.Escape(pattern[0].Text));
                scope.Define(pattern[0].Text, new ValueSymbol(variable, DslType.Int));
                writer.OpenBrace($"foreach (var {variable} in {Composition}.DslMath.Range({from}, {to}))");
                return scope;
            }
            var source = expressions.Translate(loop.Source, frame);
            var element = source.Type is ListType list ? list.Element : DslType.Int;
            if (loop.Pattern.IsTuple && element is TupleType tuple && tuple.Items.Count == pattern.Count)
            {
                var variables = pattern.Select(p => names.Allocate(CSharpNames.Escape(p.Text))).ToList();
                for (var i = 0; i < pattern.Count; i++)
                    scope.Define(pattern[i].Text, new ValueSymbol(variables[i], tuple.Items[i]));
                writer.OpenBrace($"foreach (var ({string.Join(", ", variables)}) in {source.Code})");
            }
            else
            {
                var variable = names.Allocate(CSharpNames.Escape(pattern[0].Text));
                scope.Define(pattern[0].Text, new ValueSymbol(variable, element));
                writer.OpenBrace($"foreach (var {variable} in {source.Code})");
            }
            return scope;
        }

        private Scope EmitRepeatHeader(RepeatStatement repeat, Frame frame)
        {
            var scope = new Scope(frame.Scope);
            var count = expressions.LoopCount(expressions.Translate(repeat.Count, frame), "repeat");
            var index = names.Allocate(repeat.Index == null ? "i" : CSharpNames.Escape(repeat.Index.Text));
            if (repeat.Index != null)
                scope.Define(repeat.Index.Text, new ValueSymbol(index, DslType.Int));
            writer.OpenBrace($"foreach (var {index} in {Composition}.DslMath.Passes({count}))");
            return scope;
        }

        /// <summary>The C# of a range's ends; when they depend on the arguments, first the check of its length (NN0300).</summary>
        private (string From, string To) RangeBounds(RangeExpression range, Frame frame)
        {
            var fromValue = expressions.Translate(range.From, frame);
            var toValue = expressions.Translate(range.To, frame);
            var from = expressions.AsInt(fromValue, "the start of a range");
            var to = expressions.AsInt(toValue, "the end of a range");
            var check = expressions.RangeCheck(fromValue, toValue, from, to);
            if (check != null)
                writer.WriteLine(check);
            return (from, to);
        }

        /// <summary>Whether the number of paths is fixed by the text (only path items and lets), so the checker has seen it.</summary>
        private static bool HasFixedPathCount(Body body) =>
            body.Statements.All(statement => statement is PathStatement || statement is LetStatement || statement is FunctionStatement);

        private void EmitResidual(ResidualStatement residual, Frame frame)
        {
            var project = residual.Options.Any(o => o.Name?.Text == "project" && o.Value is BooleanLiteral { Value: true });
            var input = names.Allocate("residualInput");
            var body = names.Allocate("body");
            writer.WriteLine($"var {input} = {frame.Shape};");
            writer.WriteLine($"var {body} = new {Composition}.SequentialModule(\"body\");");
            EmitBody(residual.Body, frame.Sequence(body, frame.ShapeState));
            var shortcut = project
                ? $"{frame.Shape} == {input} ? null : {Composition}.Layers.Projection({input}, {frame.Shape})"
                : null;
            if (!project)
            {
                var check = $"{Composition}.Require.That({frame.Shape} == {input}, \"{DiagnosticCatalog.ResidualShapeMismatch.Code}\", " +
                            $"{StringLiterals.PartialFormat(DiagnosticCatalog.ResidualShapeMismatch, null, null)}, {input}, {frame.Shape});";
                if (residual.When == null)
                    writer.WriteLine(check);
            }
            var module = shortcut == null ? $"new {Runtime}.Residual({body})" : $"new {Runtime}.Residual({body}, {shortcut})";
            if (residual.When != null)
            {
                // The skip exists only where the condition holds; otherwise the body stands alone, still
                // registered as `body` so the state-dict keys are those of the checker's report either way.
                writer.OpenBrace($"if ({expressions.Translate(residual.When, frame).Code})");
                writer.WriteLine($"{frame.Append}({module});");
                writer.CloseBrace();
                writer.OpenBrace("else");
                var noSkip = names.Allocate("noSkip");
                writer.WriteLine($"var {noSkip} = new {Composition}.SequentialModule(\"residual\");");
                writer.WriteLine($"{noSkip}.Append(\"body\", {body});");
                writer.WriteLine($"{frame.Append}({noSkip});");
                writer.CloseBrace();
            }
            else
            {
                writer.WriteLine($"{frame.Append}({module});");
            }
        }

        private void EmitDense(DenseStatement dense, Frame frame)
        {
            var layers = names.Allocate("denseLayers");
            var count = expressions.LoopCount(expressions.Translate(dense.Count, frame), "dense");
            var index = names.Allocate(dense.Index == null ? "i" : CSharpNames.Escape(dense.Index.Text));
            writer.WriteLine($"var {layers} = new global::System.Collections.Generic.List<{ModuleType}>();");
            writer.OpenBrace($"for (long {index} = 0; {index} < {count}; {index}++)");
            var layer = names.Allocate("layer");
            var shape = names.Allocate("layerShape");
            writer.WriteLine($"var {layer} = new {Composition}.SequentialModule(\"layer\");");
            writer.WriteLine($"var {shape} = {frame.Shape};");
            var block = new CodeBlock();
            var inner = new Frame(new Scope(frame.Scope), new ShapeState(shape), frame.InChannels, layer, block, false, true, frame.InConditional);
            if (dense.Index != null)
                inner.Scope.Define(dense.Index.Text, new ValueSymbol(index, DslType.Int));
            EmitBody(dense.Body, inner);
            FlushLocalFunctions(block);
            writer.WriteLine($"{layers}.Add({layer});");
            writer.WriteLine($"{frame.Shape} = {frame.Shape} with {{ Channels = {frame.Shape}.Channels + {shape}.Channels }};");
            writer.CloseBrace();
            writer.WriteLine($"{frame.Append}(new {Runtime}.DenseBlock({layers}.ToArray()));");
        }
    }
}
