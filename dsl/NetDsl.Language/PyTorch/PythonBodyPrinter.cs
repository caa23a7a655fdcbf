using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.PyTorch
{
    /// <summary>
    /// Prints the statements of one bound body as Python that builds the same modules, under the same names, as the C#
    /// emitter's: each statement appends to a <c>Sequence</c> of netdsl_runtime.py, which tracks the feature shape.
    /// In a <c>Graph</c> (a declaration that names feature maps) each named map's shape is a local variable of the
    /// constructor, and merges and resizes are the graph's own methods; its forward is printed apart
    /// (<see cref="PythonForwardPrinter"/>).
    /// </summary>
    internal sealed class PythonBodyPrinter
    {
        private readonly PythonWriter writer;
        private readonly PythonExpressions expressions;
        private readonly LocalNames locals;
        private readonly Func<string, BlockSignature> blocks;
        private readonly GraphNames? graph;

        /// <summary>The named feature maps that are current, when they are named ones (after <c>-&gt; a</c> or <c>from a</c>).</summary>
        private IReadOnlyList<string>? namedCurrent;

        /// <summary>Whether the graph's shapes are the current feature maps' (false after <c>from a</c>, until a statement reads them).</summary>
        private bool shapesWritten = true;

        public PythonBodyPrinter(PythonWriter writer, PythonExpressions expressions, LocalNames locals, Func<string, BlockSignature> blocks,
            GraphNames? graph = null)
        {
            this.writer = writer;
            this.expressions = expressions;
            this.locals = locals;
            this.blocks = blocks;
            this.graph = graph;
        }

        /// <summary>The Python names of a graph declaration's feature maps, and the lets its forward reads (stored as attributes).</summary>
        public sealed record GraphNames(IReadOnlyDictionary<string, string> Features, IReadOnlyDictionary<int, string> StoredLets);

        /// <summary>The named feature maps the graph's shapes are at the end (null: not named ones, or not written).</summary>
        public IReadOnlyList<string>? NamedCurrent => shapesWritten ? namedCurrent : null;

        /// <summary>Runtime names the printed code uses (the module imports them).</summary>
        public SortedSet<string> RuntimeNames => expressions.RuntimeNames;

        /// <summary>Whether the printed code names <c>nn</c> (an activation module).</summary>
        public bool UsesTorchNn { get; private set; }

        /// <summary>The Python classes of the blocks the printed code uses.</summary>
        public SortedSet<string> BlocksUsed { get; } = new SortedSet<string>(StringComparer.Ordinal);

        /// <summary>Prints <paramref name="body"/>'s statements, appending to the Python sequence <paramref name="sequence"/>.</summary>
        /// <param name="body">The declaration's body.</param>
        /// <param name="sequence">The Python sequence (or graph) the modules go into.</param>
        /// <param name="shapesAtEnd">For a graph: whether its shapes must be the current feature maps' at the end (they are
        /// the outputs unless an <c>outputs</c> statement names them).</param>
        public void Print(BoundBody body, string sequence, bool shapesAtEnd = true) => Print(body, sequence, paths: null, shapesAtEnd);

        /// <summary>Prints the statements of a body that continues the current suite (a group's, a path's).</summary>
        /// <param name="shapesAtEnd">Whether a graph's shapes must be the current feature maps' after the last statement.</param>
        private bool Print(BoundBody body, string sequence, PathCollector? paths, bool shapesAtEnd = true)
        {
            var previous = expressions.CurrentChannels;
            expressions.CurrentChannels = sequence + ".channels";
            var printed = false;
            var statements = body.Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var needed = statements[i] is BoundIf && ReadsCurrent(statements, i + 1, shapesAtEnd);
                printed |= Print(statements[i], sequence, paths, needed);
            }
            if (shapesAtEnd)
                printed |= SyncShapes(sequence);
            expressions.CurrentChannels = previous;
            return printed;
        }

        /// <summary>Prints a body that is a suite of its own (under if, else, for), which Python wants non-empty.</summary>
        private void PrintSuite(BoundBody body, string sequence, PathCollector? paths, bool shapesAtEnd = true)
        {
            if (!Print(body, sequence, paths, shapesAtEnd))
                writer.Line("pass");
        }

        /// <returns>Whether anything was written.</returns>
        /// <param name="shapesAfter">For an if: whether the statements after it read the graph's shapes.</param>
        private bool Print(BoundStatement statement, string sequence, PathCollector? paths, bool shapesAfter = true)
        {
            switch (statement)
            {
                case BoundInput _:
                case BoundOutputs _:
                    return false;
                case BoundLet let:
                    writer.Line($"{Name(let.Variable)} = {expressions.Print(let.Value)}");
                    if (graph != null && graph.StoredLets.TryGetValue(let.Variable.Id, out var attribute))
                        writer.Line($"{sequence}.{attribute} = {Name(let.Variable)}");
                    return true;
                case BoundFunctionDefinition definition:
                    PrintFunction(definition.Function);
                    return true;
                case BoundInputs inputs:
                    NameShapes(inputs.Features, sequence);
                    return true;
                case BoundNameFeatures names:
                    NameShapes(names.Features, sequence);
                    return true;
                case BoundFrom from:
                {
                    // Written when a statement reads the shapes: `from p3 -> p3_in` is then just `p3_in = p3`.
                    var features = from.Features.Select(Feature).ToList();
                    if (namedCurrent is null || !namedCurrent.SequenceEqual(features))
                    {
                        namedCurrent = features;
                        shapesWritten = false;
                    }
                    return false;
                }
                case BoundMerge merge:
                {
                    var kind = merge.Kind.Keyword();
                    var written = $"{kind}({string.Join(", ", merge.Inputs.Select(i => i.Name))})";
                    var label = merge.Label is null ? "" : $", name=\"{merge.Label}\"";
                    writer.Line($"{sequence}.merge(\"{written}\", [{string.Join(", ", merge.Inputs.Select(Feature))}]{label})");
                    Changed();
                    return true;
                }
                case BoundResize resize:
                    SyncShapes(sequence);
                    writer.Line($"{sequence}.resize(to={Feature(resize.Target)})");
                    Changed();
                    return true;
                case BoundIf conditional:
                {
                    // Each branch starts where the statements before the if left the shapes; without an else, the shapes after it
                    // may be those, so they are written first.
                    if (shapesAfter && !EndsWithElse(conditional))
                        SyncShapes(sequence);
                    var (named, written) = (namedCurrent, shapesWritten);
                    PrintIf(conditional, sequence, paths, "if", shapesAfter, named, written);
                    Changed();
                    return true;
                }
            }

            SyncShapes(sequence);
            Changed();
            switch (statement)
            {
                case BoundBuiltinLayer layer:
                    PrintLayer(layer, sequence);
                    return true;
                case BoundBlockUse use:
                    PrintBlockUse(use, sequence);
                    return true;
                case BoundActivationLayer activation:
                    RuntimeNames.Add("activation");
                    writer.Line($"{sequence}.append(activation({expressions.Print(activation.Activation)}){LabelArgument(activation.Label)})");
                    return true;
                case BoundGroup group:
                    PrintGroup(group, sequence);
                    return true;
                case BoundRepeat repeat:
                    writer.Line($"for {(repeat.Index is null ? "_" : Name(repeat.Index))} in range({expressions.Print(repeat.Count)}):");
                    Indented(() => PrintSuite(repeat.Body, sequence, paths));
                    Changed();
                    return true;
                case BoundFor loop:
                    WriteForHeader(loop);
                    Indented(() => PrintSuite(loop.Body, sequence, paths));
                    Changed();
                    return true;
                case BoundPaths parallel:
                    PrintPaths(parallel, sequence);
                    return true;
                case BoundPath path when paths != null:
                    PrintPath(path, paths);
                    return true;
                case BoundResidual residual:
                    PrintResidual(residual, sequence);
                    return true;
                case BoundDense dense:
                    PrintDense(dense, sequence);
                    return true;
                default:
                    throw new InvalidOperationException($"no Python for {statement.GetType().Name} here");
            }
        }

        private void PrintFunction(BoundFunction function)
        {
            // One Python function serves every typed instance: Python's arithmetic follows the values' types.
            var instance = function.Instances[0];
            writer.Line($"def {PythonNames.Identifier(function.Name)}({string.Join(", ", instance.Parameters.Select(Name))}):");
            Indented(() => writer.Line("return " + expressions.Print(instance.Body)));
        }

        private void PrintIf(BoundIf conditional, string sequence, PathCollector? paths, string keyword, bool shapesAfter,
            IReadOnlyList<string>? named, bool written)
        {
            writer.Line($"{keyword} {expressions.Print(conditional.Condition)}:");
            (namedCurrent, shapesWritten) = (named, written);
            Indented(() => PrintSuite(conditional.Then, sequence, paths, shapesAfter));
            if (conditional.Else is null)
                return;
            if (conditional.Else.Statements.Count == 1 && conditional.Else.Statements[0] is BoundIf elseIf)
            {
                PrintIf(elseIf, sequence, paths, "elif", shapesAfter, named, written);
                return;
            }
            writer.Line("else:");
            (namedCurrent, shapesWritten) = (named, written);
            Indented(() => PrintSuite(conditional.Else, sequence, paths, shapesAfter));
        }

        private static bool EndsWithElse(BoundIf conditional) => conditional.Else switch
        {
            null => false,
            { Statements.Count: 1 } body when body.Statements[0] is BoundIf elseIf => EndsWithElse(elseIf),
            _ => true,
        };

        private string Feature(BoundFeature feature) =>
            graph?.Features[feature.Name] ?? throw new InvalidOperationException($"feature map {feature.Name} outside a graph declaration");

        /// <summary><c>-&gt; a, b</c> (or <c>inputs a, b</c>): the current feature maps' shapes get the names.</summary>
        private void NameShapes(EquatableArray<BoundFeature> features, string sequence)
        {
            var names = features.Select(Feature).ToList();
            var source = !shapesWritten && namedCurrent != null
                ? string.Join(", ", namedCurrent)
                : names.Count == 1 ? $"{sequence}.shape" : $"{sequence}.shapes";
            if (namedCurrent is null || !namedCurrent.SequenceEqual(names))
                writer.Line($"{string.Join(", ", names)} = {source}");
            namedCurrent = names;
        }

        /// <summary>After a statement that changes the graph's shapes (to ones not named yet).</summary>
        private void Changed()
        {
            namedCurrent = null;
            shapesWritten = true;
        }

        /// <summary>Writes the shapes of named feature maps made current by <c>from</c> into the graph, before a statement reads them.</summary>
        /// <returns>Whether a line was written.</returns>
        private bool SyncShapes(string sequence)
        {
            if (shapesWritten || namedCurrent is null)
                return false;
            writer.Line(namedCurrent.Count == 1 ? $"{sequence}.shape = {namedCurrent[0]}" : $"{sequence}.shapes = [{string.Join(", ", namedCurrent)}]");
            shapesWritten = true;
            return true;
        }

        /// <summary>Whether the statements from <paramref name="start"/> on read the current feature maps before they replace them.</summary>
        private static bool ReadsCurrent(EquatableArray<BoundStatement> statements, int start, bool atEnd)
        {
            for (var i = start; i < statements.Count; i++)
            {
                switch (statements[i])
                {
                    case BoundFrom _:
                    case BoundMerge _:
                        return false;
                    case BoundLet _:
                    case BoundFunctionDefinition _:
                    case BoundOutputs _:
                        continue;
                    default:
                        return true;
                }
            }
            return atEnd;
        }

        private void WriteForHeader(BoundFor loop)
        {
            var header = $"for {LoopTarget(loop)} in {LoopSource(loop)}:";
            if (header.Length + writer.Indentation <= 110 || !(loop.Source is BoundList list))
            {
                writer.Line(header);
                return;
            }
            // A long table, one row per line, as a paper's architecture table reads.
            writer.Line($"for {LoopTarget(loop)} in [");
            writer.Indent();
            foreach (var item in list.Items)
                writer.Line(expressions.Print(item) + ",");
            writer.Dedent();
            writer.Line("]:");
        }

        private string LoopTarget(BoundFor loop) => string.Join(", ", loop.Variables.Select(Name));

        private string LoopSource(BoundFor loop)
        {
            if (loop.Range is null)
                return expressions.Print(loop.Source!);
            var to = loop.Range.To is BoundIntLiteral last
                ? (last.Value + 1).ToString(CultureInfo.InvariantCulture)
                : expressions.Print(new BoundBinary(BinaryOperator.Add, loop.Range.To, new BoundIntLiteral(1), BoundType.Int));
            return loop.Range.From is BoundIntLiteral { Value: 0 } ? $"range({to})" : $"range({expressions.Print(loop.Range.From)}, {to})";
        }

        private void PrintLayer(BoundBuiltinLayer layer, string sequence)
        {
            var arguments = new List<string>();
            void Positional(string parameter) => arguments.Add(Value(layer[parameter]));
            void Keyword(string parameter, string python, string? runtimeDefault)
            {
                var value = Value(layer[parameter]);
                if (value != runtimeDefault)
                    arguments.Add($"{python}={value}");
            }

            string call;
            switch (layer.Kind)
            {
                case BuiltinLayerKind.Conv:
                case BuiltinLayerKind.DepthwiseConv:
                    Positional("out");
                    Keyword("k", "kernel", "1");
                    Keyword("s", "stride", "1");
                    Keyword("pad", "padding", "0");
                    Keyword("dilation", "dilation", "1");
                    if (layer.Kind == BuiltinLayerKind.Conv)
                        Keyword("groups", "groups", "1");
                    else
                        arguments.Add($"groups={sequence}.channels");
                    Keyword("bias", "bias", "False");
                    if (layer.Kind == BuiltinLayerKind.DepthwiseConv)
                        arguments.Add("layer=\"dwconv\"");
                    call = "conv";
                    break;
                case BuiltinLayerKind.TransposedConv:
                    Positional("out");
                    var deconvKernel = Value(layer["k"]);
                    Keyword("k", "kernel", "2");
                    Keyword("s", "stride", deconvKernel);
                    Keyword("pad", "padding", "0");
                    Keyword("bias", "bias", "False");
                    call = "deconv";
                    break;
                case BuiltinLayerKind.Upsample:
                    Positional("scale");
                    Keyword("bilinear", "bilinear", "False");
                    call = "upsample";
                    break;
                case BuiltinLayerKind.CompConv:
                    Positional("out");
                    Keyword("k", "kernel", "3");
                    Keyword("s", "stride", "1");
                    if (layer["d"].Value != null)
                        Keyword("d", "depth", null);
                    else
                        Keyword("c0", "c0", "128");
                    call = "compconv";
                    break;
                case BuiltinLayerKind.Linear:
                    Positional("out");
                    Keyword("bias", "bias", "True");
                    call = "linear";
                    break;
                case BuiltinLayerKind.BatchNorm:
                    Keyword("eps", "eps", "1e-05");
                    Keyword("momentum", "momentum", "0.1");
                    if (layer.InputIsFlat)
                        arguments.Add("flat=True");
                    call = "bn";
                    break;
                case BuiltinLayerKind.Activation:
                    UsesTorchNn = true;
                    var factory = LayerCatalogue.Activation(layer.Name)!.TorchFactory;
                    writer.Line($"{sequence}.append(nn.{factory}(){LabelArgument(layer.Label)})");
                    return;
                case BuiltinLayerKind.CReLU:
                    call = "crelu";
                    break;
                case BuiltinLayerKind.MaxPool:
                case BuiltinLayerKind.AvgPool:
                    var pool = layer.Kind == BuiltinLayerKind.MaxPool ? "maxpool" : "avgpool";
                    if (layer.IsGlobalPooling)
                    {
                        call = "global_" + pool;
                        break;
                    }
                    var kernel = Value(layer["k"]);
                    arguments.Add(kernel);
                    Keyword("s", "stride", kernel);
                    Keyword("pad", "padding", "0");
                    Keyword("ceil", "ceil_mode", "False");
                    call = pool;
                    break;
                case BuiltinLayerKind.Flatten:
                    call = "flatten";
                    break;
                case BuiltinLayerKind.Dropout:
                    Keyword("p", "p", "0.5");
                    call = "dropout";
                    break;
                case BuiltinLayerKind.DropPath:
                    Positional("p");
                    call = "droppath";
                    break;
                case BuiltinLayerKind.Shuffle:
                    Positional("groups");
                    call = "shuffle";
                    break;
                case BuiltinLayerKind.SqueezeExcite:
                    Positional("squeeze");
                    Keyword("act", "act", "\"relu\"");
                    Keyword("gate", "gate", "\"sigmoid\"");
                    call = "se";
                    break;
                default:
                    throw new InvalidOperationException($"no Python for layer {layer.Name}");
            }
            if (layer.Label != null)
                arguments.Add($"name=\"{layer.Label}\"");
            writer.Line($"{sequence}.{call}({string.Join(", ", arguments)})");
        }

        private string Value(BoundLayerArgument argument) =>
            argument.Value is null ? "None" : expressions.Print(argument.Value);

        private void PrintBlockUse(BoundBlockUse use, string sequence)
        {
            var signature = blocks(use.Block);
            BlocksUsed.Add(signature.ClassName);
            var arguments = new List<string> { sequence + (use.Graph is null ? ".shape" : ".shapes") };
            var given = use.Arguments.Where(a => a.SourceOrder != null).OrderBy(a => a.SourceOrder!.Value).ToList();
            foreach (var argument in given)
            {
                var value = expressions.Print(argument.Value);
                arguments.Add(argument.IsNamed || signature.KeywordOnly ? $"{PythonNames.Identifier(argument.Parameter)}={value}" : value);
            }
            writer.Line($"{sequence}.append({signature.ClassName}({string.Join(", ", arguments)}){LabelArgument(use.Label)})");
        }

        private void PrintGroup(BoundGroup group, string sequence)
        {
            var inner = locals.Allocate(PythonNames.Identifier(group.Label));
            RuntimeNames.Add("Sequence");
            writer.Line($"{inner} = Sequence({sequence}.shape)");
            Print(group.Body, inner);
            writer.Line($"{sequence}.append({inner}, \"{group.Label}\")");
            locals.Release(inner);
        }

        private void PrintResidual(BoundResidual residual, string sequence)
        {
            var body = locals.Allocate("body");
            RuntimeNames.Add("Sequence");
            writer.Line($"{body} = Sequence({sequence}.shape)");
            Print(residual.Body, body);

            string shortcut;
            if (residual.Project is BoundBoolLiteral { Value: false })
                shortcut = "";
            else
            {
                RuntimeNames.Add("projection");
                var projection = $"projection({sequence}.shape, {body}.shape)";
                shortcut = residual.Project is BoundBoolLiteral { Value: true }
                    ? ", " + projection
                    : $", {projection} if {expressions.Print(residual.Project)} else None";
            }
            RuntimeNames.Add("Residual");
            if (residual.When is null)
            {
                writer.Line($"{sequence}.append(Residual({body}{shortcut}))");
            }
            else
            {
                RuntimeNames.Add("NoSkip");
                writer.Line($"if {expressions.Print(residual.When)}:");
                Indented(() => writer.Line($"{sequence}.append(Residual({body}{shortcut}))"));
                writer.Line("else:");
                Indented(() => writer.Line($"{sequence}.append(NoSkip({body}))"));
            }
            locals.Release(body);
        }

        private void PrintDense(BoundDense dense, string sequence)
        {
            var layers = locals.Allocate("layers");
            var layer = locals.Allocate("layer");
            RuntimeNames.UnionWith(new[] { "Sequence", "DenseBlock", "dense_input" });
            writer.Line($"{layers} = []");
            writer.Line($"for {(dense.Index is null ? "_" : Name(dense.Index))} in range({expressions.Print(dense.Count)}):");
            Indented(() =>
            {
                writer.Line($"{layer} = Sequence(dense_input({sequence}.shape, {layers}))");
                Print(dense.Body, layer);
                writer.Line($"{layers}.append({layer})");
            });
            writer.Line($"{sequence}.append(DenseBlock({sequence}.shape, {layers}))");
            locals.Release(layer);
            locals.Release(layers);
        }

        /// <summary>
        /// parallel and split: each path is a sequence of its own, collected (through loops and conditionals) into a list of
        /// (label, path). A split's paths see an equal part of the channels, so with a count only known when it runs, each
        /// path is collected as a function of its part's shape and built once all are counted.
        /// </summary>
        private void PrintPaths(BoundPaths parallel, string sequence)
        {
            var list = locals.Allocate("paths");
            RuntimeNames.Add(parallel.IsSplit ? "ChannelSplit" : "Parallel");
            writer.Line($"{list} = []");
            string? part = null;
            var deferred = parallel.IsSplit && !parallel.HasFixedPathCount;
            if (parallel.IsSplit && !deferred)
            {
                part = locals.Allocate("part");
                RuntimeNames.Add("split_part");
                var count = CountPaths(parallel.Paths);
                writer.Line($"{part} = split_part({sequence}.shape, {count.ToString(CultureInfo.InvariantCulture)})");
            }
            // The functions capture what the statements around the paths bind (loop variables, lets): it changes from pass to pass.
            var captured = deferred ? BoundVariables.DeclaredIn(parallel.Paths, intoModules: false).Select(Name).Distinct().ToList() : new List<string>();
            Print(parallel.Paths, sequence, new PathCollector(list, part ?? sequence + ".shape", deferred, captured));
            if (parallel.IsSplit)
            {
                if (deferred)
                {
                    part = locals.Allocate("part");
                    RuntimeNames.Add("split_part");
                    writer.Line($"{part} = split_part({sequence}.shape, len({list}))");
                    writer.Line($"{list} = [(label, build({part})) for label, build in {list}]");
                }
                writer.Line($"{sequence}.append(ChannelSplit([{part}.channels] * len({list}), {list}))");
                locals.Release(part!);
            }
            else
            {
                writer.Line($"{sequence}.append(Parallel(\"{(parallel.Merge == MergeKind.Add ? "add" : "concat")}\", {list}))");
            }
            locals.Release(list);
        }

        private void PrintPath(BoundPath path, PathCollector paths)
        {
            var label = path.Label is null ? "None" : $"\"{path.Label}\"";
            var inner = locals.Allocate("path");
            RuntimeNames.Add("Sequence");
            if (paths.Deferred)
            {
                // Defaults capture this pass's loop variables: the function runs after the loop has moved on.
                var build = locals.Allocate("build");
                var parameters = new[] { "part" }.Concat(paths.Captured.Select(v => $"{v}={v}"));
                writer.Line($"def {build}({string.Join(", ", parameters)}):");
                Indented(() =>
                {
                    writer.Line($"{inner} = Sequence(part)");
                    Print(path.Body, inner);
                    writer.Line($"return {inner}");
                });
                writer.Line($"{paths.List}.append(({label}, {build}))");
                locals.Release(build);
            }
            else
            {
                writer.Line($"{inner} = Sequence({paths.Input})");
                Print(path.Body, inner);
                writer.Line($"{paths.List}.append(({label}, {inner}))");
            }
            locals.Release(inner);
        }

        private static int CountPaths(BoundBody body) => body.Statements.Count(s => s is BoundPath);

        private string LabelArgument(string? label) => label is null ? "" : $", \"{label}\"";

        private string Name(BoundVariable variable) => PythonNames.Identifier(variable.Name);

        private void Indented(Action print)
        {
            writer.Indent();
            print();
            writer.Dedent();
        }

        private sealed record PathCollector(string List, string Input, bool Deferred, IReadOnlyList<string> Captured);
    }

    /// <summary>What a block use needs to know of the block's Python class.</summary>
    internal sealed record BlockSignature(string ClassName, bool KeywordOnly);
}
