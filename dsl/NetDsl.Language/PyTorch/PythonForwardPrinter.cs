using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.PyTorch
{
    /// <summary>What a graph declaration's <c>forward</c> takes and returns.</summary>
    internal enum ForwardKind
    {
        /// <summary>A network with one output, or a block without <c>inputs</c>/<c>outputs</c>: a tensor in, a tensor out.</summary>
        Tensor,

        /// <summary>A network with several outputs: a tensor in, a NamedTuple of its outputs out.</summary>
        Outputs,

        /// <summary>A block with <c>inputs</c> or <c>outputs</c>: a list of tensors in, a list out.</summary>
        List,
    }

    /// <summary>
    /// Prints the <c>forward</c> of a network or block that names feature maps, as a person would write it: each named
    /// feature map is a local variable (<c>c2 = self.layer1(x)</c>), a merge takes a list of them
    /// (<c>m4 = self[0]([l4, up5])</c>), a layer shared by several maps runs on each, and ifs and loops mirror the
    /// constructor's. Children are reached by label (<c>self.inner4</c>) or, unlabelled, by their number (<c>self[3]</c>),
    /// counted exactly as the constructor numbers them: a literal where the count is known when printing, else an
    /// expression of the same conditions and loop counts (<c>n = 5 if self.first else 0</c>, then <c>self[n + 1]</c>).
    /// </summary>
    /// <remarks>
    /// The parameters and top-level lets the conditions and loop counts read are stored by the constructor as attributes
    /// (<see cref="StoredVariables"/>); lets and functions nested in an if or a loop are printed again where forward needs them.
    /// </remarks>
    internal sealed class PythonForwardPrinter
    {
        private readonly BoundBody body;
        private readonly ForwardKind kind;
        private readonly IReadOnlyDictionary<string, string> features;
        private readonly string? outputsClass;
        private readonly IReadOnlyCollection<string> reservedLocals;
        private readonly HashSet<int> topLevelLets;
        private readonly LocalNames attributeNames;
        private readonly Dictionary<int, string> attributes = new Dictionary<int, string>();
        private readonly Dictionary<int, BoundVariable> stored = new Dictionary<int, BoundVariable>();

        // One printing pass: forward is printed until the nested lets and functions it needs stop growing.
        private HashSet<int> neededLets = new HashSet<int>();
        private HashSet<int> neededFunctions = new HashSet<int>();
        private HashSet<int> referencedLets = new HashSet<int>();
        private HashSet<int> referencedFunctions = new HashSet<int>();
        private LocalNames locals = null!;
        private PythonExpressions expressions = null!;
        private Code code = null!;
        private Current current = null!;
        private Numbering numbering = null!;
        private string? counter;
        private string scratch = "x";
        private string bundle = "features";
        private string item = "f";

        /// <param name="body">The declaration's body.</param>
        /// <param name="kind">What forward takes and returns.</param>
        /// <param name="features">The Python name of each feature map (the constructor names their shapes alike).</param>
        /// <param name="outputsClass">For <see cref="ForwardKind.Outputs"/>: the NamedTuple forward returns.</param>
        /// <param name="reservedLocals">Names forward must not bind: the declaration's variables, module-level names it reads.</param>
        /// <param name="reservedAttributes">Attribute names taken on the module: its labels, the runtime's methods.</param>
        public PythonForwardPrinter(BoundBody body, ForwardKind kind, IReadOnlyDictionary<string, string> features, string? outputsClass,
            IReadOnlyCollection<string> reservedLocals, IEnumerable<string> reservedAttributes)
        {
            this.body = body;
            this.kind = kind;
            this.features = features;
            this.outputsClass = outputsClass;
            this.reservedLocals = reservedLocals;
            topLevelLets = new HashSet<int>(body.Statements.OfType<BoundLet>().Select(l => l.Variable.Id));
            attributeNames = new LocalNames(reservedAttributes);
        }

        /// <summary>Runtime names the printed code calls (<c>resize_to</c>, and helpers expressions need).</summary>
        public SortedSet<string> RuntimeNames { get; } = new SortedSet<string>(StringComparer.Ordinal);

        /// <summary>Whether an expression called <c>math</c>.</summary>
        public bool UsesMath { get; private set; }

        /// <summary>The parameters and top-level lets forward reads, each stored by the constructor as <c>self.&lt;attribute&gt;</c>.</summary>
        public IReadOnlyList<(BoundVariable Variable, string Attribute)> StoredVariables =>
            stored.Values.OrderBy(v => v.Id).Select(v => (v, attributes[v.Id])).ToList();

        /// <summary>The body of <c>def forward</c>: lines with their indentation level (0 = the method's body).</summary>
        public IReadOnlyList<(int Level, string Text)> Print()
        {
            while (true)
            {
                PrintPass();
                var moreLets = referencedLets.Except(neededLets).Any();
                var moreFunctions = referencedFunctions.Except(neededFunctions).Any();
                if (!moreLets && !moreFunctions)
                    return code.Lines;
                neededLets.UnionWith(referencedLets);
                neededFunctions.UnionWith(referencedFunctions);
            }
        }

        /// <summary>The name of forward's parameter.</summary>
        public string Parameter { get; private set; } = "x";

        private void PrintPass()
        {
            referencedLets = new HashSet<int>();
            referencedFunctions = new HashSet<int>();
            locals = new LocalNames(reservedLocals.Concat(features.Values));
            expressions = new PythonExpressions(VariableName) { InputChannels = "self.input_shape.channels", CurrentChannels = null };
            code = new Code();
            numbering = new Numbering();
            counter = null;
            scratch = locals.Allocate("x");
            bundle = locals.Allocate("features");
            item = locals.Allocate("f");
            if (kind == ForwardKind.List)
            {
                Parameter = bundle;
                current = new Bundle(bundle);
            }
            else
            {
                Parameter = scratch;
                current = new One(scratch);
            }

            PrintStatements(body);
            PrintReturn();
            UsesMath |= expressions.UsesMath;
            RuntimeNames.UnionWith(expressions.RuntimeNames);
        }

        private string VariableName(BoundVariable variable)
        {
            switch (variable.Kind)
            {
                case VariableKind.Parameter:
                    return Stored(variable);
                case VariableKind.Let when topLevelLets.Contains(variable.Id):
                    return Stored(variable);
                case VariableKind.Let:
                    referencedLets.Add(variable.Id);
                    return PythonNames.Identifier(variable.Name);
                default:
                    return PythonNames.Identifier(variable.Name);
            }
        }

        private string Stored(BoundVariable variable)
        {
            if (!attributes.TryGetValue(variable.Id, out var attribute))
            {
                attribute = attributeNames.Allocate(PythonNames.Identifier(variable.Name));
                attributes[variable.Id] = attribute;
            }
            stored[variable.Id] = variable;
            return "self." + attribute;
        }

        private string Expression(BoundExpression expression)
        {
            foreach (var call in Calls(expression))
                referencedFunctions.Add(call.FunctionId);
            return expressions.Print(expression);
        }

        private static IEnumerable<BoundFunctionCall> Calls(BoundExpression expression) => expression switch
        {
            BoundFunctionCall call => call.Arguments.SelectMany(Calls).Prepend(call),
            BoundUnary unary => Calls(unary.Operand),
            BoundBinary binary => Calls(binary.Left).Concat(Calls(binary.Right)),
            BoundConditional conditional => Calls(conditional.Condition).Concat(Calls(conditional.WhenTrue)).Concat(Calls(conditional.WhenFalse)),
            BoundBuiltinCall builtin => builtin.Arguments.SelectMany(Calls),
            BoundListIndex index => Calls(index.List).Concat(Calls(index.Index)),
            BoundTupleItem tupleItem => Calls(tupleItem.Tuple),
            BoundTuple tuple => tuple.Items.SelectMany(Calls),
            BoundList list => list.Items.SelectMany(Calls),
            BoundSamePadding padding => Calls(padding.Kernel).Concat(Calls(padding.Dilation)),
            BoundWholeNumber whole => Calls(whole.Operand),
            _ => Enumerable.Empty<BoundFunctionCall>(),
        };

        // ---- statements ------------------------------------------------------------------------------------------------

        private void PrintStatements(BoundBody statements)
        {
            var list = statements.Statements;
            for (var i = 0; i < list.Count; i++)
            {
                var names = i + 1 < list.Count ? list[i + 1] as BoundNameFeatures : null;
                if (Print(list[i], names))
                    i++;
            }
        }

        /// <returns>Whether the statement assigned its result to <paramref name="names"/> (the next statement) itself.</returns>
        private bool Print(BoundStatement statement, BoundNameFeatures? names)
        {
            switch (statement)
            {
                case BoundBuiltinLayer layer:
                    return Apply(Module(layer.Label, LayerDescription(layer)), names);
                case BoundActivationLayer activation:
                    return Apply(Module(activation.Label, "activation"), names);
                case BoundBlockUse { Graph: { } graph } use:
                    return ApplyGraphBlock(Module(use.Label, use.Block), graph, names);
                case BoundBlockUse use:
                    return Apply(Module(use.Label, use.Block), names);
                case BoundGroup group:
                    return Apply(Module(group.Label, null), names);
                case BoundResidual residual:
                    return Apply(Module(null, residual.When is null ? "residual" : "residual when"), names);
                case BoundPaths paths:
                    return Apply(Module(null, paths.IsSplit ? "split" : "parallel"), names);
                case BoundDense dense:
                    return Apply(Module(null, "dense"), names);
                case BoundMerge merge:
                {
                    var module = Module(merge.Label, merge.Kind.Keyword());
                    var inputs = string.Join(", ", merge.Inputs.Select(Feature));
                    return AssignOne($"{module.Reference}([{inputs}])", module.Comment, names);
                }
                case BoundResize resize:
                {
                    RuntimeNames.Add("resize_to");
                    var bilinear = resize.Bilinear is BoundBoolLiteral { Value: false } ? "" : $", bilinear={Expression(resize.Bilinear)}";
                    var target = Feature(resize.Target);
                    return current is One one
                        ? AssignOne($"resize_to({one.Local}, {target}{bilinear})", "", names)
                        : AssignMany($"[resize_to({item}, {target}{bilinear}) for {item} in {Iterable(current)}]", names);
                }
                case BoundNameFeatures named:
                    Name(named.Features);
                    return false;
                case BoundFrom from:
                    current = from.Features.Count == 1 ? new One(Feature(from.Features[0])) : new Many(from.Features.Select(Feature).ToList());
                    return false;
                case BoundInputs inputs:
                    if (inputs.Features.Count == 1)
                    {
                        code.Line($"{Feature(inputs.Features[0])} = {Parameter}[0]");
                        current = new One(Feature(inputs.Features[0]));
                    }
                    else
                    {
                        code.Line($"{string.Join(", ", inputs.Features.Select(Feature))} = {Parameter}");
                        current = new Many(inputs.Features.Select(Feature).ToList());
                    }
                    return false;
                case BoundLet let:
                    if (!topLevelLets.Contains(let.Variable.Id) && neededLets.Contains(let.Variable.Id))
                        code.Line($"{PythonNames.Identifier(let.Variable.Name)} = {Expression(let.Value)}");
                    return false;
                case BoundFunctionDefinition definition:
                    if (neededFunctions.Contains(definition.Function.Id))
                        PrintFunction(definition.Function);
                    return false;
                case BoundIf conditional:
                    PrintIf(conditional);
                    return false;
                case BoundRepeat repeat:
                    PrintRepeat(repeat);
                    return false;
                case BoundFor loop:
                    PrintFor(loop);
                    return false;
                case BoundInput _:
                case BoundOutputs _:
                    return false;
                default:
                    throw new InvalidOperationException($"no Python forward for {statement.GetType().Name}");
            }
        }

        private void PrintFunction(BoundFunction function)
        {
            var instance = function.Instances[0];
            code.Line($"def {PythonNames.Identifier(function.Name)}({string.Join(", ", instance.Parameters.Select(p => PythonNames.Identifier(p.Name)))}):");
            code.Level++;
            code.Line("return " + Expression(instance.Body));
            code.Level--;
        }

        private static string LayerDescription(BoundBuiltinLayer layer) => layer.IsGlobalPooling ? "global " + layer.Name : layer.Name;

        private string Feature(BoundFeature feature) => features[feature.Name];

        private static string Iterable(Current current) => current switch
        {
            Many many => $"({string.Join(", ", many.Locals)})",
            Bundle list => list.Local,
            _ => throw new InvalidOperationException("one current feature map is not iterated"),
        };

        private static string ListOf(Current current) => current switch
        {
            One one => $"[{one.Local}]",
            Many many => $"[{string.Join(", ", many.Locals)}]",
            Bundle list => list.Local,
            _ => throw new InvalidOperationException(),
        };

        /// <summary>A module that runs on each current feature map (one module, shared weights, when there are several).</summary>
        private bool Apply(ModuleReference module, BoundNameFeatures? names)
        {
            if (current is One one)
                return AssignOne($"{module.Reference}({one.Local})", module.Comment, names);
            return AssignMany($"[{module.Reference}({item}) for {item} in {Iterable(current)}]", names, module.Comment);
        }

        /// <summary>A block with inputs or outputs: every current feature map goes in, as a list; its outputs come back as one.</summary>
        private bool ApplyGraphBlock(ModuleReference module, BoundGraphArity graph, BoundNameFeatures? names)
        {
            var call = $"{module.Reference}({ListOf(current)})";
            return graph.Outputs == 1 ? AssignOne(call + "[0]", module.Comment, names) : AssignMany(call, names, module.Comment);
        }

        private bool AssignOne(string value, string comment, BoundNameFeatures? names)
        {
            var target = names != null ? Feature(names.Features[0]) : scratch;
            code.Assign(target, value, comment);
            current = new One(target);
            return names != null;
        }

        private bool AssignMany(string value, BoundNameFeatures? names, string comment = "")
        {
            if (names != null)
            {
                var targets = names.Features.Select(Feature).ToList();
                code.Assign(string.Join(", ", targets), value, comment);
                current = new Many(targets);
                return true;
            }
            code.Assign(bundle, value, comment);
            current = new Bundle(bundle);
            return false;
        }

        /// <summary><c>-&gt; a, b</c> after a statement that did not assign to the names itself.</summary>
        private void Name(EquatableArray<BoundFeature> named)
        {
            var targets = named.Select(Feature).ToList();
            switch (current)
            {
                case One one:
                    if (targets[0] != one.Local)
                        code.Assign(targets[0], one.Local, "");
                    current = new One(targets[0]);
                    break;
                case Many many:
                    if (!targets.SequenceEqual(many.Locals))
                        code.Assign(string.Join(", ", targets), string.Join(", ", many.Locals), "");
                    current = new Many(targets);
                    break;
                case Bundle list:
                    code.Assign(string.Join(", ", targets), list.Local, "");
                    current = new Many(targets);
                    break;
            }
        }

        private void PrintReturn()
        {
            switch (kind)
            {
                case ForwardKind.Outputs:
                {
                    var outputs = body.Statements.OfType<BoundOutputs>().Single();
                    var values = outputs.Features.Select(Feature).ToList();
                    var line = $"return {outputsClass}({string.Join(", ", values)})";
                    if (line.Length + 8 <= 110)
                    {
                        code.Line(line);
                        break;
                    }
                    code.Line($"return {outputsClass}(");
                    code.Level++;
                    foreach (var value in values)
                        code.Line(value + ",");
                    code.Level--;
                    code.Line(")");
                    break;
                }
                case ForwardKind.List:
                {
                    var outputs = body.Statements.OfType<BoundOutputs>().FirstOrDefault();
                    if (outputs != null)
                        code.Line($"return [{string.Join(", ", outputs.Features.Select(Feature))}]");
                    else if (current is Bundle list)
                        Return(list.Local);
                    else
                        code.Line("return " + ListOf(current));
                    break;
                }
                default:
                {
                    var outputs = body.Statements.OfType<BoundOutputs>().FirstOrDefault();
                    Return(outputs != null ? Feature(outputs.Features[0]) : ((One)current).Local);
                    break;
                }
            }
        }

        /// <summary><c>return value</c>, folded into the last line when that assigns <paramref name="value"/> at the top level.</summary>
        private void Return(string value)
        {
            if (code.LastAssignment is { } last && last.Target == value && code.Lines[last.Index].Level == 0)
            {
                code.Lines[last.Index] = (0, $"return {last.Value}{last.Comment}");
                code.LastAssignment = null;
                return;
            }
            code.Line("return " + value);
        }

        // ---- children and their numbers --------------------------------------------------------------------------------

        private sealed record ModuleReference(string Reference, string Comment);

        /// <summary>A child by label, or the next unlabelled one by number (with what it is as a comment).</summary>
        private ModuleReference Module(string? label, string? description)
        {
            if (label != null)
                return new ModuleReference(IsAttribute(label) ? "self." + label : $"getattr(self, \"{label}\")", "");
            var index = NextIndex();
            return new ModuleReference($"self[{index}]", description is null ? "" : "  # " + description);
        }

        private static bool IsAttribute(string label) => PythonNames.Identifier(label) == label || PythonNames.Reserved.Contains(label);

        private string Counter => counter ??= locals.Allocate("n");

        private string NextIndex()
        {
            Materialize();
            var terms = new List<string>();
            if (numbering.Counter)
                terms.Add(Counter);
            terms.AddRange(numbering.LoopTerms);
            if (numbering.Offset != 0 || terms.Count == 0)
                terms.Add(numbering.Offset.ToString(CultureInfo.InvariantCulture));
            numbering.Offset++;
            return string.Join(" + ", terms);
        }

        /// <summary>Writes the count of the numbered children so far into the counter when it depends on a condition or loop.</summary>
        private void Materialize()
        {
            if (numbering.Pending.Count == 0)
                return;
            if (numbering.LoopTerms.Count > 0)
                throw new InvalidOperationException("a count that is not known when printing inside a loop of known count");
            var terms = new List<(string Text, bool Compound)>();
            if (numbering.Offset != 0)
                terms.Add((numbering.Offset.ToString(CultureInfo.InvariantCulture), false));
            terms.AddRange(numbering.Pending);
            var sum = terms.Count == 1 ? terms[0].Text : string.Join(" + ", terms.Select(t => t.Compound ? $"({t.Text})" : t.Text));
            code.Line(numbering.Counter ? $"{Counter} += {sum}" : $"{Counter} = {sum}");
            numbering = new Numbering { Counter = true };
        }

        /// <summary>Makes the counter hold the count so far, for a body whose count is only known when it runs.</summary>
        private void StartCounter()
        {
            Materialize();
            if (numbering.Counter)
            {
                if (numbering.Offset != 0)
                    code.Line($"{Counter} += {numbering.Offset.ToString(CultureInfo.InvariantCulture)}");
            }
            else
            {
                code.Line($"{Counter} = {numbering.Offset.ToString(CultureInfo.InvariantCulture)}");
            }
            numbering = new Numbering { Counter = true };
        }

        /// <summary>At the end of a body that started the counter: adds what it numbered.</summary>
        private void AdvanceCounter()
        {
            Materialize();
            if (numbering.Offset != 0)
                code.Line($"{Counter} += {numbering.Offset.ToString(CultureInfo.InvariantCulture)}");
            numbering = new Numbering { Counter = true };
        }

        /// <summary>How many unlabelled children one run of <paramref name="statements"/> adds, when that is known without running it.</summary>
        private static int? Count(BoundBody statements)
        {
            var total = 0;
            foreach (var statement in statements.Statements)
            {
                int? count = statement switch
                {
                    BoundBuiltinLayer layer => layer.Label is null ? 1 : 0,
                    BoundActivationLayer activation => activation.Label is null ? 1 : 0,
                    BoundBlockUse use => use.Label is null ? 1 : 0,
                    BoundMerge merge => merge.Label is null ? 1 : 0,
                    BoundResidual _ or BoundPaths _ or BoundDense _ => 1,
                    BoundIf conditional => Count(conditional.Then) is { } then && (conditional.Else is null ? 0 : Count(conditional.Else)) == then ? then : null,
                    BoundRepeat repeat => Count(repeat.Body) switch
                    {
                        0 => 0,
                        { } each when repeat.Count is BoundIntLiteral literal => (int)(each * literal.Value),
                        _ => null,
                    },
                    BoundFor loop => Count(loop.Body) == 0 ? 0 : null,
                    _ => 0,
                };
                if (count is null)
                    return null;
                total += count.Value;
            }
            return total;
        }

        // ---- control flow ----------------------------------------------------------------------------------------------

        /// <summary>Whether forward has anything to do for <paramref name="statements"/>.</summary>
        private bool Relevant(BoundBody statements) => statements.Statements.Any(Relevant);

        private bool Relevant(BoundStatement statement) => statement switch
        {
            BoundLet let => !topLevelLets.Contains(let.Variable.Id) && neededLets.Contains(let.Variable.Id),
            BoundFunctionDefinition definition => neededFunctions.Contains(definition.Function.Id),
            BoundIf conditional => Relevant(conditional.Then) || (conditional.Else != null && Relevant(conditional.Else)),
            BoundRepeat repeat => Relevant(repeat.Body),
            BoundFor loop => Relevant(loop.Body),
            BoundInput _ or BoundOutputs _ => false,
            _ => true,
        };

        /// <summary>Whether <paramref name="statements"/> read or change the current feature maps.</summary>
        private static bool TouchesCurrent(BoundBody statements) => statements.Statements.Any(statement => statement switch
        {
            BoundLet _ or BoundFunctionDefinition _ or BoundInput _ or BoundOutputs _ => false,
            BoundIf conditional => TouchesCurrent(conditional.Then) || (conditional.Else != null && TouchesCurrent(conditional.Else)),
            BoundRepeat repeat => TouchesCurrent(repeat.Body),
            BoundFor loop => TouchesCurrent(loop.Body),
            _ => true,
        });

        /// <summary>The form the current feature maps take across a loop or the branches of an if: <c>x</c>, or the list <c>features</c>.</summary>
        private Current Carried(Current state) => state is One ? new One(scratch) : new Bundle(bundle);

        /// <summary>Assigns the current feature maps to <paramref name="form"/> (nothing when they are there already).</summary>
        private static void Normalize(Code into, Current state, Current form)
        {
            switch (form)
            {
                case One one when state is One from && from.Local != one.Local:
                    into.Assign(one.Local, from.Local, "");
                    break;
                case Bundle list when state is Many many:
                    into.Assign(list.Local, $"[{string.Join(", ", many.Locals)}]", "");
                    break;
                case Bundle list when state is Bundle from && from.Local != list.Local:
                    into.Assign(list.Local, from.Local, "");
                    break;
            }
        }

        private void PrintIf(BoundIf conditional)
        {
            if (!Relevant(conditional.Then) && (conditional.Else is null || !Relevant(conditional.Else)))
                return;
            // The chain if / elif / else, each branch with its condition (null: else).
            var branches = new List<(BoundExpression? Condition, BoundBody Body)>();
            for (BoundIf? link = conditional; link != null;)
            {
                branches.Add((link.Condition, link.Then));
                if (link.Else is { Statements.Count: 1 } elseBody && elseBody.Statements[0] is BoundIf next)
                {
                    link = next;
                    continue;
                }
                if (link.Else != null)
                    branches.Add((null, link.Else));
                link = null;
            }
            var hasElse = branches[branches.Count - 1].Condition is null;
            var counts = branches.Select(b => Count(b.Body)).ToList();
            if (!hasElse)
                counts.Add(0);
            var known = counts.All(c => c.HasValue);
            var equal = known && counts.Distinct().Count() == 1;
            if (counts.Any(c => c != 0))
            {
                if (known)
                    Materialize();
                else
                    StartCounter();
            }

            var start = current;
            var startNumbering = numbering;
            var printed = new List<(string? Condition, Code Code, Current End)>();
            foreach (var (condition, branchBody) in branches)
            {
                var text = condition is null ? null : Expression(condition);
                var branchCode = new Code { Level = code.Level + 1 };
                var outer = code;
                code = branchCode;
                current = start;
                numbering = startNumbering.Clone();
                PrintStatements(branchBody);
                if (!known)
                    AdvanceCounter();
                code = outer;
                printed.Add((text, branchCode, current));
            }
            if (!hasElse)
                printed.Add((null, new Code { Level = code.Level + 1 }, start));

            // Each branch leaves the current feature maps where the others do.
            var ends = printed.Select(p => p.End).ToList();
            var after = ends.All(e => e.Equals(ends[0])) ? ends[0] : Carried(ends[0]);
            foreach (var branch in printed)
                Normalize(branch.Code, branch.End, after);

            for (var i = 0; i < printed.Count; i++)
            {
                var (condition, branchCode, _) = printed[i];
                if (condition is null && branchCode.Lines.Count == 0 && i > 0)
                    continue;
                code.Line(condition is null ? "else:" : (i == 0 ? "if " : "elif ") + condition + ":");
                if (branchCode.Lines.Count == 0)
                    branchCode.Line("pass");
                code.Append(branchCode);
            }
            current = after;

            if (!known)
            {
                numbering = new Numbering { Counter = true };
            }
            else if (equal)
            {
                numbering = startNumbering.Clone();
                numbering.Offset += counts[0]!.Value;
            }
            else
            {
                // The children numbered after the if depend on which branch ran: count them with the same conditions.
                numbering = startNumbering.Clone();
                var expression = new System.Text.StringBuilder();
                for (var i = 0; i < printed.Count; i++)
                {
                    var count = counts[i]!.Value.ToString(CultureInfo.InvariantCulture);
                    expression.Append(printed[i].Condition is { } test ? $"{count} if {test} else " : count);
                }
                numbering.Pending.Add((expression.ToString(), true));
            }
        }

        private void PrintRepeat(BoundRepeat repeat)
        {
            if (!Relevant(repeat.Body))
                return;
            var each = Count(repeat.Body);
            var carried = EnterLoop(repeat.Body);
            var countText = Expression(repeat.Count);
            string index;
            if (each is > 0)
            {
                Materialize();
                index = repeat.Index is null ? locals.Allocate("i") : PythonNames.Identifier(repeat.Index.Name);
            }
            else
            {
                if (each is null)
                    StartCounter();
                index = repeat.Index is null ? "_" : PythonNames.Identifier(repeat.Index.Name);
            }
            code.Line($"for {index} in range({countText}):");
            var startNumbering = numbering.Clone();
            if (each is > 0)
                numbering.LoopTerms.Add(each == 1 ? index : $"{each.Value.ToString(CultureInfo.InvariantCulture)} * {index}");
            code.Level++;
            PrintStatements(repeat.Body);
            if (each is null)
                AdvanceCounter();
            LeaveLoop(carried);
            code.Level--;

            if (each is null)
            {
                numbering = new Numbering { Counter = true };
            }
            else if (each is > 0)
            {
                numbering = startNumbering;
                if (repeat.Count is BoundIntLiteral literal)
                    numbering.Offset += (int)(each.Value * literal.Value);
                else
                    numbering.Pending.Add((each == 1 ? countText : $"{each.Value.ToString(CultureInfo.InvariantCulture)} * {Atom(countText)}", false));
            }
        }

        private void PrintFor(BoundFor loop)
        {
            if (!Relevant(loop.Body))
                return;
            var numbered = Count(loop.Body) != 0;
            var carried = EnterLoop(loop.Body);
            if (numbered)
                StartCounter();
            var target = string.Join(", ", loop.Variables.Select(v => PythonNames.Identifier(v.Name)));
            code.Line($"for {target} in {LoopSource(loop)}:");
            code.Level++;
            PrintStatements(loop.Body);
            if (numbered)
                AdvanceCounter();
            LeaveLoop(carried);
            code.Level--;
        }

        private string LoopSource(BoundFor loop)
        {
            if (loop.Range is null)
                return Expression(loop.Source!);
            var to = loop.Range.To is BoundIntLiteral last
                ? (last.Value + 1).ToString(CultureInfo.InvariantCulture)
                : Expression(new BoundBinary(Syntax.BinaryOperator.Add, loop.Range.To, new BoundIntLiteral(1), BoundType.Int));
            return loop.Range.From is BoundIntLiteral { Value: 0 } ? $"range({to})" : $"range({Expression(loop.Range.From)}, {to})";
        }

        /// <summary>Before a loop whose body works on the current feature maps: they go into the variable the loop carries them in.</summary>
        private Current? EnterLoop(BoundBody loopBody)
        {
            if (!TouchesCurrent(loopBody))
                return null;
            var carried = Carried(current);
            Normalize(code, current, carried);
            current = carried;
            return carried;
        }

        private void LeaveLoop(Current? carried)
        {
            if (carried is null)
                return;
            Normalize(code, current, carried);
            current = carried;
        }

        private static string Atom(string expression) =>
            expression.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.') ? expression : $"({expression})";

        // ---- state -----------------------------------------------------------------------------------------------------

        /// <summary>The current feature maps in forward: one variable, several, or one list.</summary>
        private abstract record Current;

        private sealed record One(string Local) : Current;

        private sealed record Many(IReadOnlyList<string> Locals) : Current
        {
            public bool Equals(Many? other) => other != null && Locals.SequenceEqual(other.Locals);

            public override int GetHashCode() => Locals.Count;
        }

        private sealed record Bundle(string Local) : Current;

        /// <summary>
        /// The number of the next unlabelled child: the counter variable (when a count was only known at run time), the loop
        /// terms of the loops around (<c>2 * i</c>), a constant, and counts not yet added to the counter (pending).
        /// </summary>
        private sealed class Numbering
        {
            public bool Counter;
            public int Offset;
            public List<string> LoopTerms = new List<string>();
            public List<(string Text, bool Compound)> Pending = new List<(string, bool)>();

            public Numbering Clone() => new Numbering
            {
                Counter = Counter,
                Offset = Offset,
                LoopTerms = new List<string>(LoopTerms),
                Pending = new List<(string, bool)>(Pending),
            };
        }

        /// <summary>Lines of Python with their indentation, and the last one when it is an assignment (for <c>return</c>).</summary>
        private sealed class Code
        {
            public List<(int Level, string Text)> Lines { get; } = new List<(int, string)>();

            public int Level { get; set; }

            public (int Index, string Target, string Value, string Comment)? LastAssignment { get; set; }

            public void Line(string text)
            {
                Lines.Add((Level, text));
                LastAssignment = null;
            }

            public void Assign(string target, string value, string comment)
            {
                Lines.Add((Level, $"{target} = {value}{comment}"));
                LastAssignment = (Lines.Count - 1, target, value, comment);
            }

            public void Append(Code other)
            {
                Lines.AddRange(other.Lines);
                LastAssignment = null;
            }
        }
    }
}
