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
    /// </summary>
    internal sealed class PythonBodyPrinter
    {
        private readonly PythonWriter writer;
        private readonly PythonExpressions expressions;
        private readonly LocalNames locals;
        private readonly Func<string, BlockSignature> blocks;

        public PythonBodyPrinter(PythonWriter writer, PythonExpressions expressions, LocalNames locals, Func<string, BlockSignature> blocks)
        {
            this.writer = writer;
            this.expressions = expressions;
            this.locals = locals;
            this.blocks = blocks;
        }

        /// <summary>Runtime names the printed code uses (the module imports them).</summary>
        public SortedSet<string> RuntimeNames => expressions.RuntimeNames;

        /// <summary>Whether the printed code names <c>nn</c> (an activation module).</summary>
        public bool UsesTorchNn { get; private set; }

        /// <summary>The Python classes of the blocks the printed code uses.</summary>
        public SortedSet<string> BlocksUsed { get; } = new SortedSet<string>(StringComparer.Ordinal);

        /// <summary>Prints <paramref name="body"/>'s statements, appending to the Python sequence <paramref name="sequence"/>.</summary>
        public void Print(BoundBody body, string sequence) => Print(body, sequence, paths: null);

        /// <summary>Prints the statements of a body that continues the current suite (a group's, a path's).</summary>
        private bool Print(BoundBody body, string sequence, PathCollector? paths)
        {
            var previous = expressions.CurrentChannels;
            expressions.CurrentChannels = sequence + ".channels";
            var printed = false;
            foreach (var statement in body.Statements)
                printed |= Print(statement, sequence, paths);
            expressions.CurrentChannels = previous;
            return printed;
        }

        /// <summary>Prints a body that is a suite of its own (under if, else, for), which Python wants non-empty.</summary>
        private void PrintSuite(BoundBody body, string sequence, PathCollector? paths)
        {
            if (!Print(body, sequence, paths))
                writer.Line("pass");
        }

        /// <returns>Whether anything was written.</returns>
        private bool Print(BoundStatement statement, string sequence, PathCollector? paths)
        {
            switch (statement)
            {
                case BoundInput _:
                    return false;
                case BoundLet let:
                    writer.Line($"{Name(let.Variable)} = {expressions.Print(let.Value)}");
                    return true;
                case BoundFunctionDefinition definition:
                    PrintFunction(definition.Function);
                    return true;
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
                    return true;
                case BoundFor loop:
                    WriteForHeader(loop);
                    Indented(() => PrintSuite(loop.Body, sequence, paths));
                    return true;
                case BoundIf conditional:
                    PrintIf(conditional, sequence, paths, "if");
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

        private void PrintIf(BoundIf conditional, string sequence, PathCollector? paths, string keyword)
        {
            writer.Line($"{keyword} {expressions.Print(conditional.Condition)}:");
            Indented(() => PrintSuite(conditional.Then, sequence, paths));
            if (conditional.Else is null)
                return;
            if (conditional.Else.Statements.Count == 1 && conditional.Else.Statements[0] is BoundIf elseIf)
            {
                PrintIf(elseIf, sequence, paths, "elif");
                return;
            }
            writer.Line("else:");
            Indented(() => PrintSuite(conditional.Else, sequence, paths));
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
            var arguments = new List<string> { sequence + ".shape" };
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
