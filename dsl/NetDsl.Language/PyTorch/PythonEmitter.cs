using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NetDsl.Binding;
using NetDsl.Emit;

namespace NetDsl.PyTorch
{
    /// <summary>A file of the emitted Python package: its name in the package directory and its text.</summary>
    public sealed record PythonFile(string Name, string Text);

    /// <summary>
    /// Prints the bound declarations the C# generator prints as a Python package of PyTorch modules: one module per
    /// <c>.nn</c> file with one <c>nn.Module</c> class per network, block and variant (the same constructor parameters and
    /// defaults, the same state-dict keys as the C# classes), <c>netdsl_runtime.py</c> with the building blocks, and an
    /// <c>__init__.py</c> that exports every class and <c>MODELS</c>, the networks and variants that build with their
    /// defaults. The code imports only <c>torch</c> (and <c>math</c> and <c>typing</c> where it needs them).
    /// </summary>
    /// <remarks>
    /// A declaration without named feature maps is a <c>Sequence</c> (an <c>nn.Sequential</c> that its constructor fills). One
    /// that names them (<c>-&gt; a</c>, <c>from</c>, merges, <c>resize</c>, <c>inputs</c>/<c>outputs</c>) is a <c>Graph</c> with a
    /// written-out <c>forward</c> whose local variables are the feature maps; a block with <c>inputs</c> or <c>outputs</c> is a
    /// <c>GraphBlock</c> (a list of tensors in and out), and a network with several outputs returns a NamedTuple of them,
    /// <c>&lt;Network&gt;Outputs</c>, fields named as in its <c>outputs</c> statement.
    /// </remarks>
    public static class PythonEmitter
    {
        public const string RuntimeModule = "netdsl_runtime";

        /// <summary>The package for <paramref name="plan"/> (the generator's plan: its units are the checker's bound declarations).</summary>
        public static IReadOnlyList<PythonFile> Emit(EmitPlan plan)
        {
            var units = plan.Units.ToList();
            var modules = units.GroupBy(u => u.FileName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => PythonNames.Module(g.Key), StringComparer.Ordinal);
            var classes = units.ToDictionary(u => u.Declaration.Name, u => ClassName(u.Declaration.Name), StringComparer.Ordinal);
            var moduleOfClass = units.ToDictionary(u => classes[u.Declaration.Name], u => modules[u.FileName], StringComparer.Ordinal);
            var signatures = units.Where(u => u.Declaration is BoundBlock).ToDictionary(
                u => u.Declaration.Name,
                u => new BlockSignature(classes[u.Declaration.Name], NeedsKeywordOnly(((BoundBlock)u.Declaration).Parameters)),
                StringComparer.Ordinal);
            var taken = new HashSet<string>(classes.Values, StringComparer.Ordinal);
            var outputsClasses = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var unit in units)
            {
                if (unit.Declaration is BoundNetwork { Outputs.Count: > 1 } network)
                {
                    var name = classes[network.Name] + "Outputs";
                    while (!taken.Add(name))
                        name += "_";
                    outputsClasses[network.Name] = name;
                }
            }

            var files = new List<PythonFile> { new PythonFile(RuntimeModule + ".py", RuntimeText()) };
            foreach (var file in units.GroupBy(u => u.FileName, StringComparer.Ordinal))
            {
                var writer = new ModuleWriter(file.Key, modules[file.Key], classes, moduleOfClass, signatures, outputsClasses);
                files.Add(new PythonFile(modules[file.Key] + ".py", writer.Write(file.ToList())));
            }
            files.Add(new PythonFile("__init__.py", InitText(units, modules, classes, outputsClasses, plan.Registry?.Models)));
            return files;
        }

        /// <summary>netdsl_runtime.py, the building blocks (a resource of this assembly).</summary>
        public static string RuntimeText()
        {
            using var stream = typeof(PythonEmitter).Assembly.GetManifestResourceStream("NetDsl.PyTorch.netdsl_runtime.py")
                ?? throw new InvalidOperationException("netdsl_runtime.py is missing from the assembly's resources");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd().Replace("\r\n", "\n");
        }

        private static string ClassName(string declaration) => PythonNames.Identifier(declaration);

        /// <summary>Python wants required parameters first: where one follows a default, all become keyword-only.</summary>
        private static bool NeedsKeywordOnly(EquatableArray<BoundParameter> parameters)
        {
            var seenDefault = false;
            foreach (var parameter in parameters)
            {
                if (parameter.Default is null && seenDefault)
                    return true;
                seenDefault |= parameter.Default != null;
            }
            return false;
        }

        private static string InitText(IReadOnlyList<EmitUnit> units, IReadOnlyDictionary<string, string> modules,
            IReadOnlyDictionary<string, string> classes, IReadOnlyDictionary<string, string> outputsClasses, EquatableArray<string>? registry)
        {
            var text = new StringBuilder();
            var files = units.Select(u => u.FileName).Distinct().ToList();
            text.Append("# Generated by NetDsl; edit the .nn files, not this one.\n");
            text.Append($"\"\"\"NetDsl networks as PyTorch modules, from {string.Join(", ", files)}.\"\"\"\n\n");
            foreach (var file in units.GroupBy(u => u.FileName, StringComparer.Ordinal))
            {
                var names = file.SelectMany(u => ExportedNames(u, classes, outputsClasses)).OrderBy(n => n, StringComparer.Ordinal).ToList();
                text.Append(FromImport("." + modules[file.Key], names));
            }
            text.Append("\n");
            var models = (registry?.ToList() ?? new List<string>()).Where(classes.ContainsKey).ToList();
            text.Append("# The networks and variants that build with their defaults, by name.\n");
            text.Append("MODELS = {\n");
            foreach (var model in models)
                text.Append($"    \"{model}\": {classes[model]},\n");
            text.Append("}\n\n");
            text.Append("__all__ = [\"MODELS\", ");
            text.Append(string.Join(", ", units.SelectMany(u => ExportedNames(u, classes, outputsClasses)).Select(n => "\"" + n + "\"")));
            text.Append("]\n");
            return text.ToString();
        }

        /// <summary>A declaration's class, and the NamedTuple of a network with several outputs.</summary>
        private static IEnumerable<string> ExportedNames(EmitUnit unit, IReadOnlyDictionary<string, string> classes,
            IReadOnlyDictionary<string, string> outputsClasses)
        {
            yield return classes[unit.Declaration.Name];
            if (outputsClasses.TryGetValue(unit.Declaration.Name, out var outputs))
                yield return outputs;
        }

        internal static string FromImport(string module, IReadOnlyList<string> names)
        {
            var line = $"from {module} import {string.Join(", ", names)}";
            if (line.Length <= 110)
                return line + "\n";
            var text = new StringBuilder($"from {module} import (\n");
            foreach (var name in names)
                text.Append($"    {name},\n");
            return text.Append(")\n").ToString();
        }

        /// <summary>Writes one module: the classes of one <c>.nn</c> file, with the imports they need.</summary>
        private sealed class ModuleWriter
        {
            private readonly string fileName;
            private readonly string module;
            private readonly IReadOnlyDictionary<string, string> classes;
            private readonly IReadOnlyDictionary<string, string> moduleOfClass;
            private readonly IReadOnlyDictionary<string, BlockSignature> signatures;
            private readonly IReadOnlyDictionary<string, string> outputsClasses;
            private readonly SortedSet<string> runtimeNames = new SortedSet<string>(StringComparer.Ordinal) { "FeatureShape" };
            private readonly SortedSet<string> classesUsed = new SortedSet<string>(StringComparer.Ordinal);
            private readonly SortedSet<string> typingNames = new SortedSet<string>(StringComparer.Ordinal);
            private readonly SortedSet<string> torchNames = new SortedSet<string>(StringComparer.Ordinal);
            private bool usesMath;

            public ModuleWriter(string fileName, string module, IReadOnlyDictionary<string, string> classes,
                IReadOnlyDictionary<string, string> moduleOfClass, IReadOnlyDictionary<string, BlockSignature> signatures,
                IReadOnlyDictionary<string, string> outputsClasses)
            {
                this.fileName = fileName;
                this.module = module;
                this.classes = classes;
                this.moduleOfClass = moduleOfClass;
                this.signatures = signatures;
                this.outputsClasses = outputsClasses;
            }

            public string Write(IReadOnlyList<EmitUnit> units)
            {
                var body = new PythonWriter();
                foreach (var unit in units)
                {
                    body.BlankLines(2);
                    WriteClass(body, unit);
                }

                var text = new StringBuilder();
                text.Append($"# Generated by NetDsl from {fileName}; edit the .nn file, not this one.\n");
                text.Append($"\"\"\"PyTorch modules of {fileName}: {string.Join(", ", units.Select(u => classes[u.Declaration.Name]))}.\"\"\"\n\n");
                if (usesMath)
                    text.Append("import math\n");
                if (typingNames.Count > 0)
                    text.Append($"from typing import {string.Join(", ", typingNames)}\n");
                if (usesMath || typingNames.Count > 0)
                    text.Append("\n");
                if (torchNames.Count > 0)
                    text.Append($"from torch import {string.Join(", ", torchNames)}\n\n");
                text.Append(FromImport("." + RuntimeModule, runtimeNames.ToList()));
                foreach (var other in classesUsed.Where(c => moduleOfClass[c] != module).GroupBy(c => moduleOfClass[c]).OrderBy(g => g.Key, StringComparer.Ordinal))
                    text.Append(FromImport("." + other.Key, other.ToList()));
                text.Append(body.ToString());
                return text.ToString();
            }

            private void WriteClass(PythonWriter writer, EmitUnit unit)
            {
                switch (unit.Declaration)
                {
                    case BoundNetwork network when IsGraph(network.Features, network.Body) || network.Outputs.Count > 0:
                        WriteGraphClass(writer, unit, network.Parameters, network.Body, network.Features, DeclaredInput(network), graph: null);
                        break;
                    case BoundNetwork network:
                        WriteSequenceClass(writer, unit, network.Name, network.Parameters, network.Body, DeclaredInput(network));
                        break;
                    case BoundBlock block when IsGraph(block.Features, block.Body) || block.Graph != null:
                        WriteGraphClass(writer, unit, block.Parameters, block.Body, block.Features, input: null, block.Graph);
                        break;
                    case BoundBlock block:
                        WriteSequenceClass(writer, unit, block.Name, block.Parameters, block.Body, input: null);
                        break;
                    case BoundVariant variant:
                        WriteVariant(writer, unit, variant);
                        break;
                }
            }

            private static BoundShape? DeclaredInput(BoundNetwork network) =>
                network.Body.Statements.OfType<BoundInput>().Select(i => i.Shape).FirstOrDefault();

            private void WriteSequenceClass(PythonWriter writer, EmitUnit unit, string name, EquatableArray<BoundParameter> parameters,
                BoundBody body, BoundShape? input)
            {
                var userNames = CollectVariables(parameters, body).Select(v => PythonNames.Identifier(v.Name));
                var locals = new LocalNames(userNames);
                var expressions = new PythonExpressions(v => PythonNames.Identifier(v.Name)) { InputChannels = "input_shape.channels" };
                writer.Line($"class {classes[name]}(Sequence):");
                runtimeNames.Add("Sequence");
                writer.Indent();
                writer.Line(DocString(unit));
                writer.Line("");

                var signature = new List<string> { "self" };
                var isNetwork = input != null;
                string? inputDefault = null;
                if (!isNetwork)
                    signature.Add("input_shape: FeatureShape");
                if (NeedsKeywordOnly(parameters))
                    signature.Add("*");
                signature.AddRange(parameters.Select(p => Parameter(p, expressions)));
                if (isNetwork)
                {
                    var constant = input!.Channels.IsConstant && input.Height.IsConstant && input.Width.IsConstant;
                    inputDefault = Shape(input, expressions);
                    signature.Add(constant ? $"input_shape: FeatureShape = {inputDefault}" : "input_shape: Optional[FeatureShape] = None");
                    if (!constant)
                        typingNames.Add("Optional");
                }
                WriteSignature(writer, signature);
                writer.Indent();
                if (isNetwork && !(input!.Channels.IsConstant && input.Height.IsConstant && input.Width.IsConstant))
                    writer.Line($"input_shape = {inputDefault} if input_shape is None else input_shape");
                writer.Line("super().__init__(input_shape)");
                var printer = new PythonBodyPrinter(writer, expressions, locals, block => signatures[block]);
                printer.Print(body, "self");
                writer.Dedent();
                writer.Dedent();

                usesMath |= expressions.UsesMath;
                if (printer.UsesTorchNn)
                    torchNames.Add("nn");
                runtimeNames.UnionWith(printer.RuntimeNames);
                classesUsed.UnionWith(printer.BlocksUsed);
            }

            /// <summary>Whether a declaration names feature maps (or uses a block with inputs or outputs): it is then a Graph.</summary>
            private static bool IsGraph(EquatableArray<string> features, BoundBody body) => features.Count > 0 || HasGraphStatements(body);

            private static bool HasGraphStatements(BoundBody body) => body.Statements.Any(statement => statement switch
            {
                BoundNameFeatures _ or BoundFrom _ or BoundMerge _ or BoundResize _ or BoundInputs _ or BoundOutputs _ => true,
                BoundBlockUse use => use.Graph != null,
                BoundIf conditional => HasGraphStatements(conditional.Then) || (conditional.Else != null && HasGraphStatements(conditional.Else)),
                BoundRepeat repeat => HasGraphStatements(repeat.Body),
                BoundFor loop => HasGraphStatements(loop.Body),
                _ => false,
            });

            /// <summary>
            /// A network or block that names feature maps: a <c>Graph</c> (<c>GraphBlock</c> for a block with inputs or outputs)
            /// whose constructor builds the children as a Sequence's does and keeps each named map's shape in a local, and whose
            /// forward (<see cref="PythonForwardPrinter"/>) keeps each named map in a local.
            /// </summary>
            private void WriteGraphClass(PythonWriter writer, EmitUnit unit, EquatableArray<BoundParameter> parameters, BoundBody body,
                EquatableArray<string> featureNames, BoundShape? input, BoundGraphArity? graph)
            {
                var name = unit.Declaration.Name;
                var isNetwork = unit.Declaration is BoundNetwork;
                var variables = CollectVariables(parameters, body).Select(v => PythonNames.Identifier(v.Name)).ToList();
                var locals = new LocalNames(variables);
                // The feature maps keep their names (with an underscore where Python needs one), before any temporary is named.
                var features = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var feature in featureNames.Concat(FeatureNamesIn(body)))
                {
                    if (!features.ContainsKey(feature))
                        features[feature] = locals.Allocate(PythonNames.Identifier(feature));
                }

                var outputs = isNetwork && ((BoundNetwork)unit.Declaration).Outputs.Count > 1 ? outputsClasses[name] : null;
                var kind = outputs != null ? ForwardKind.Outputs : graph != null ? ForwardKind.List : ForwardKind.Tensor;
                var reservedLocals = variables.Append("self").Concat(outputs is null ? Array.Empty<string>() : new[] { outputs }).ToList();
                var forward = new PythonForwardPrinter(body, kind, features, outputs, reservedLocals,
                    PythonNames.GraphAttributes.Concat(Labels(body)));
                var forwardLines = forward.Print();
                var stored = forward.StoredVariables;

                if (outputs != null)
                    WriteOutputsClass(writer, (BoundNetwork)unit.Declaration, outputs);

                var expressions = new PythonExpressions(v => PythonNames.Identifier(v.Name)) { InputChannels = "input_shape.channels" };
                var baseClass = graph != null ? "GraphBlock" : "Graph";
                runtimeNames.Add(baseClass);
                writer.Line($"class {classes[name]}({baseClass}):");
                writer.Indent();
                writer.Line(DocString(unit));
                writer.Line("");

                var signature = new List<string> { "self" };
                string? inputDefault = null;
                var constant = input != null && input.Channels.IsConstant && input.Height.IsConstant && input.Width.IsConstant;
                if (!isNetwork)
                {
                    signature.Add(graph != null ? "input_shapes: List[FeatureShape]" : "input_shape: FeatureShape");
                    if (graph != null)
                        typingNames.Add("List");
                }
                if (NeedsKeywordOnly(parameters))
                    signature.Add("*");
                signature.AddRange(parameters.Select(p => Parameter(p, expressions)));
                if (isNetwork)
                {
                    inputDefault = Shape(input!, expressions);
                    signature.Add(constant ? $"input_shape: FeatureShape = {inputDefault}" : "input_shape: Optional[FeatureShape] = None");
                    if (!constant)
                        typingNames.Add("Optional");
                }
                WriteSignature(writer, signature);
                writer.Indent();
                if (isNetwork && !constant)
                    writer.Line($"input_shape = {inputDefault} if input_shape is None else input_shape");
                if (graph != null)
                {
                    expressions.InputChannels = "input_shapes[0].channels";
                    writer.Line($"super().__init__(input_shapes, inputs={graph.Inputs.ToString(CultureInfo.InvariantCulture)})");
                }
                else
                {
                    writer.Line("super().__init__(input_shape)");
                }
                // What forward reads of the arguments: the parameters now, the lets where the body binds them.
                foreach (var (variable, attribute) in stored.Where(s => s.Variable.Kind == VariableKind.Parameter))
                    writer.Line($"self.{attribute} = {PythonNames.Identifier(variable.Name)}");
                var storedLets = stored.Where(s => s.Variable.Kind != VariableKind.Parameter).ToDictionary(s => s.Variable.Id, s => s.Attribute);
                var printer = new PythonBodyPrinter(writer, expressions, locals, block => signatures[block],
                    new PythonBodyPrinter.GraphNames(features, storedLets));
                var declared = body.Statements.OfType<BoundOutputs>().FirstOrDefault();
                printer.Print(body, "self", shapesAtEnd: declared is null);
                if (declared != null)
                {
                    var shapes = declared.Features.Select(f => features[f.Name]).ToList();
                    if (kind == ForwardKind.Tensor)
                    {
                        if (printer.NamedCurrent is null || !printer.NamedCurrent.SequenceEqual(shapes))
                            writer.Line($"self.shape = {shapes[0]}");
                    }
                    else if (printer.NamedCurrent is null || !printer.NamedCurrent.SequenceEqual(shapes))
                    {
                        writer.Line($"self.shapes = [{string.Join(", ", shapes)}]");
                    }
                }
                writer.Dedent();
                writer.Line("");

                torchNames.Add("Tensor");
                string header;
                switch (kind)
                {
                    case ForwardKind.List:
                        typingNames.Add("List");
                        header = $"def forward(self, {forward.Parameter}: List[Tensor]) -> List[Tensor]:";
                        break;
                    case ForwardKind.Outputs:
                        header = $"def forward(self, {forward.Parameter}: Tensor) -> {outputs}:";
                        break;
                    default:
                        header = $"def forward(self, {forward.Parameter}: Tensor) -> Tensor:";
                        break;
                }
                writer.Line(header);
                writer.Indent();
                foreach (var (level, text) in forwardLines)
                {
                    for (var i = 0; i < level; i++)
                        writer.Indent();
                    writer.Line(text);
                    for (var i = 0; i < level; i++)
                        writer.Dedent();
                }
                writer.Dedent();
                writer.Dedent();

                usesMath |= expressions.UsesMath || forward.UsesMath;
                if (printer.UsesTorchNn)
                    torchNames.Add("nn");
                runtimeNames.UnionWith(printer.RuntimeNames);
                runtimeNames.UnionWith(forward.RuntimeNames);
                classesUsed.UnionWith(printer.BlocksUsed);
            }

            /// <summary>The NamedTuple a network with several outputs returns: one tensor per output, named as in the .nn file.</summary>
            private void WriteOutputsClass(PythonWriter writer, BoundNetwork network, string outputs)
            {
                typingNames.Add("NamedTuple");
                torchNames.Add("Tensor");
                writer.Line($"class {outputs}(NamedTuple):");
                writer.Indent();
                writer.Line($"\"\"\"The outputs of {network.Name}, in the order of its outputs statement.\"\"\"");
                writer.Line("");
                foreach (var output in network.Outputs)
                    writer.Line($"{OutputField(output)}: Tensor");
                writer.Dedent();
                writer.BlankLines(2);
            }

            /// <summary>A NamedTuple field for an output: a keyword takes an underscore after it, a leading underscore a letter before.</summary>
            private static string OutputField(string output)
            {
                var field = PythonNames.Identifier(output);
                return field.StartsWith("_", StringComparison.Ordinal) ? "output" + field : field;
            }

            /// <summary>The feature maps named in a body (by <c>-&gt;</c> and <c>inputs</c>), in order.</summary>
            private static IEnumerable<string> FeatureNamesIn(BoundBody body)
            {
                foreach (var statement in body.Statements)
                {
                    var names = statement switch
                    {
                        BoundNameFeatures named => named.Features.Select(f => f.Name),
                        BoundInputs inputs => inputs.Features.Select(f => f.Name),
                        BoundIf conditional => FeatureNamesIn(conditional.Then).Concat(conditional.Else is null ? Enumerable.Empty<string>() : FeatureNamesIn(conditional.Else)),
                        BoundRepeat repeat => FeatureNamesIn(repeat.Body),
                        BoundFor loop => FeatureNamesIn(loop.Body),
                        _ => Enumerable.Empty<string>(),
                    };
                    foreach (var name in names)
                        yield return name;
                }
            }

            /// <summary>The labels of a declaration's own children (through its ifs and loops), which are attributes of its module.</summary>
            private static IEnumerable<string> Labels(BoundBody body) => body.Statements.SelectMany(statement => statement switch
            {
                BoundBuiltinLayer { Label: { } label } => new[] { label },
                BoundActivationLayer { Label: { } label } => new[] { label },
                BoundBlockUse { Label: { } label } => new[] { label },
                BoundMerge { Label: { } label } => new[] { label },
                BoundGroup group => new[] { group.Label },
                BoundIf conditional => Labels(conditional.Then).Concat(conditional.Else is null ? Enumerable.Empty<string>() : Labels(conditional.Else)),
                BoundRepeat repeat => Labels(repeat.Body),
                BoundFor loop => Labels(loop.Body),
                _ => Enumerable.Empty<string>(),
            });

            private void WriteVariant(PythonWriter writer, EmitUnit unit, BoundVariant variant)
            {
                var baseClass = classes[variant.Network];
                classesUsed.Add(baseClass);
                var expressions = new PythonExpressions(v => PythonNames.Identifier(v.Name));
                writer.Line($"class {classes[variant.Name]}({baseClass}):");
                writer.Indent();
                writer.Line(DocString(unit));
                writer.Line("");
                // Without an input of its own, a variant takes its network's (which may depend on the parameters).
                var input = variant.Input;
                var signature = new List<string> { "self" };
                if (NeedsKeywordOnly(variant.Parameters))
                    signature.Add("*");
                signature.AddRange(variant.Parameters.Select(p => Parameter(p, expressions)));
                if (input != null)
                {
                    var constant = input.Channels.IsConstant && input.Height.IsConstant && input.Width.IsConstant;
                    signature.Add(constant ? $"input_shape: FeatureShape = {Shape(input, expressions)}" : "input_shape: Optional[FeatureShape] = None");
                    if (!constant)
                        typingNames.Add("Optional");
                }
                WriteSignature(writer, signature);
                writer.Indent();
                var keywordOnly = NeedsKeywordOnly(variant.Parameters);
                var arguments = variant.Parameters.Select(p => keywordOnly ? $"{PythonNames.Identifier(p.Name)}={PythonNames.Identifier(p.Name)}" : PythonNames.Identifier(p.Name)).ToList();
                if (input != null && !(input.Channels.IsConstant && input.Height.IsConstant && input.Width.IsConstant))
                    writer.Line($"input_shape = {Shape(input, expressions)} if input_shape is None else input_shape");
                if (input != null)
                    arguments.Add("input_shape=input_shape");
                writer.Line($"super().__init__({string.Join(", ", arguments)})");
                writer.Dedent();
                writer.Dedent();
            }

            private static string Shape(BoundShape shape, PythonExpressions expressions) =>
                $"FeatureShape({expressions.Print(shape.Channels)}, {expressions.Print(shape.Height)}, {expressions.Print(shape.Width)})";

            private static string Parameter(BoundParameter parameter, PythonExpressions expressions)
            {
                var type = parameter.Variable.Type == BoundType.Int ? "int"
                    : parameter.Variable.Type == BoundType.Float ? "float"
                    : parameter.Variable.Type == BoundType.Bool ? "bool" : "str";
                var name = PythonNames.Identifier(parameter.Name);
                return parameter.Default is null ? $"{name}: {type}" : $"{name}: {type} = {expressions.Print(parameter.Default)}";
            }

            private static void WriteSignature(PythonWriter writer, IReadOnlyList<string> parameters)
            {
                var line = $"def __init__({string.Join(", ", parameters)}) -> None:";
                if (line.Length + writer.Indentation <= 110)
                {
                    writer.Line(line);
                    return;
                }
                writer.Line("def __init__(");
                writer.Indent();
                writer.Indent();
                foreach (var parameter in parameters)
                    writer.Line(parameter + ",");
                writer.Dedent();
                writer.Dedent();
                writer.Line(") -> None:");
            }

            private string DocString(EmitUnit unit)
            {
                var kind = unit.Declaration switch
                {
                    BoundNetwork _ => "network",
                    BoundBlock _ => "block",
                    _ => "variant of " + ((BoundVariant)unit.Declaration).Network,
                };
                var summary = $"The {unit.Declaration.Name} {kind} of {fileName}.";
                if (!(unit.Figures is { } f))
                    return $"\"\"\"{summary}\"\"\"";
                var figures = string.Format(CultureInfo.InvariantCulture, "{0:N0} parameters and {1:N0} multiply-accumulates at the defaults ({2} -> {3}).",
                    f.Parameters, f.Macs, f.Input, f.Output);
                return $"\"\"\"{summary}\n\n{new string(' ', 4)}{figures}\n{new string(' ', 4)}\"\"\"";
            }

            /// <summary>Every name a declaration binds (parameters, lets, functions, loop variables), for naming temporaries.</summary>
            private static IEnumerable<BoundVariable> CollectVariables(EquatableArray<BoundParameter> parameters, BoundBody body) =>
                parameters.Select(p => p.Variable).Concat(BoundVariables.DeclaredIn(body, intoModules: true));
        }
    }

    /// <summary>Python text with four-space indentation.</summary>
    internal sealed class PythonWriter
    {
        private readonly StringBuilder text = new StringBuilder();
        private int level;

        public int Indentation => level * 4;

        public void Indent() => level++;

        public void Dedent() => level--;

        public void Line(string line)
        {
            if (line.Length > 0)
                text.Append(' ', level * 4).Append(line);
            text.Append('\n');
        }

        /// <summary>Ensures <paramref name="count"/> blank lines before what comes next (PEP 8's two between classes).</summary>
        public void BlankLines(int count)
        {
            for (var i = 0; i < count; i++)
                text.Append('\n');
        }

        public override string ToString() => text.ToString();
    }
}
