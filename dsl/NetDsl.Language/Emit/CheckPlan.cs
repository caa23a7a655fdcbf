using System.Collections.Generic;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Model;

namespace NetDsl.Emit
{
    /// <summary>What a generated constructor checks about a value computed from its arguments, through <c>Require</c>.</summary>
    internal enum CheckKind
    {
        /// <summary><c>Require.ChannelCount</c>: a layer's channel count.</summary>
        ChannelCount,

        /// <summary><c>Require.RepeatCount</c>: the count of a <c>repeat</c>.</summary>
        RepeatCount,

        /// <summary><c>Require.DenseCount</c>: the count of a <c>dense</c> block.</summary>
        DenseCount,

        /// <summary><c>Require.RangeLength</c>: the length of a <c>for</c> over <c>from..to</c>.</summary>
        RangeLength,
    }

    /// <summary>One check of a value (for a range: of its two ends). Equal checks are the same check, made once.</summary>
    internal sealed record Check(CheckKind Kind, BoundExpression Value, BoundExpression? End = null);

    /// <summary>A check made once at the top of the constructor (<see cref="Slot"/>: before which top-level statement).</summary>
    internal sealed class HoistedCheck
    {
        public HoistedCheck(Check check, int slot, string nameHint)
        {
            Check = check;
            Slot = slot;
            NameHint = nameHint;
        }

        public Check Check { get; }

        public int Slot { get; }

        /// <summary>The preferred name of the local that holds the checked value when it is more than a name.</summary>
        public string NameHint { get; }

        /// <summary>That local once written, or null: the value is a name, read as it is.</summary>
        public string? Local { get; set; }

        public bool IsPrinted { get; set; }
    }

    /// <summary>
    /// Decides which argument checks of a declaration go to the top of its constructor, as a careful hand-written module
    /// checks its arguments once before building anything. A check goes there when its value depends only on the
    /// parameters, the input channels, and the lets and functions of the body's top level, and when the constructor is
    /// sure to reach it: not inside an <c>if</c> unless both branches make it, not inside a loop that may run no pass
    /// (the checker would not have evaluated it). It is written right after the last of those lets it needs (its
    /// <see cref="HoistedCheck.Slot"/>). Every other check stays where its value is computed.
    /// </summary>
    internal sealed class CheckPlan
    {
        /// <summary>The slot before anything else: before a block's own first lines.</summary>
        public const int Start = -1;

        public static readonly CheckPlan None = new CheckPlan(new List<HoistedCheck>());

        private readonly List<HoistedCheck> hoisted;
        private readonly Dictionary<Check, HoistedCheck> byCheck;

        private CheckPlan(List<HoistedCheck> hoisted)
        {
            this.hoisted = hoisted;
            byCheck = hoisted.ToDictionary(h => h.Check);
        }

        /// <summary>The plan of a declaration's body. <paramref name="inputChannelsSlot"/>: from where <c>in</c> can be read.</summary>
        public static CheckPlan For(BoundBody body, int inputChannelsSlot)
        {
            var walker = new Walker(body, inputChannelsSlot);
            var sure = walker.Body(body);
            return new CheckPlan(walker.Candidates.Where(c => sure.Contains(c.Check)).ToList());
        }

        public HoistedCheck? Find(Check check) => byCheck.TryGetValue(check, out var found) ? found : null;

        /// <summary>The checks not yet written whose slot is at most <paramref name="slot"/>, in the order the body first makes them.</summary>
        public IEnumerable<HoistedCheck> Due(int slot) => hoisted.Where(h => !h.IsPrinted && h.Slot <= slot);

        /// <summary>The channel-count parameters of a built-in layer: those the printer checks as channel counts.</summary>
        public static IEnumerable<string> ChannelCountParameters(BoundBuiltinLayer layer)
        {
            switch (layer.Kind)
            {
                case BuiltinLayerKind.Conv:
                case BuiltinLayerKind.CompConv:
                case BuiltinLayerKind.Linear:
                    yield return "out";
                    break;
                case BuiltinLayerKind.DepthwiseConv when layer["out"].IsGiven:
                    yield return "out";
                    break;
                case BuiltinLayerKind.SqueezeExcite when layer["squeeze"].IsGiven:
                    yield return "squeeze";
                    break;
            }
        }

        /// <summary>
        /// A value the generated code reads as it is after checking it: a name. Anything else (arithmetic, a call, a float
        /// made whole) is computed once into a local by the check.
        /// </summary>
        public static bool IsName(BoundExpression value) =>
            value is BoundVariableReference { Type: ScalarType { Kind: DslType.Int } } or BoundInputChannels;

        private sealed class Walker
        {
            private readonly int inputChannelsSlot;
            private readonly Dictionary<int, int> letSlots = new Dictionary<int, int>();
            private readonly Dictionary<int, BoundFunction> functions = new Dictionary<int, BoundFunction>();
            private readonly Dictionary<Check, HoistedCheck?> seen = new Dictionary<Check, HoistedCheck?>();
            private readonly List<string> labels = new List<string>();

            public Walker(BoundBody body, int inputChannelsSlot)
            {
                this.inputChannelsSlot = inputChannelsSlot;
                for (var i = 0; i < body.Statements.Count; i++)
                {
                    switch (body.Statements[i])
                    {
                        case BoundLet let:
                            letSlots[let.Variable.Id] = i + 1;
                            break;
                        case BoundFunctionDefinition definition:
                            // Defined before the body is printed (a C# local function): what it reads decides its slot.
                            functions[definition.Function.Id] = definition.Function;
                            break;
                    }
                }
            }

            /// <summary>Every check that could go to the top, in the order the body makes them.</summary>
            public List<HoistedCheck> Candidates { get; } = new List<HoistedCheck>();

            /// <summary>The checks that could go to the top and are made whenever <paramref name="body"/> runs.</summary>
            public HashSet<Check> Body(BoundBody body)
            {
                var sure = new HashSet<Check>();
                foreach (var statement in body.Statements)
                    sure.UnionWith(Statement(statement));
                return sure;
            }

            private IEnumerable<Check> Statement(BoundStatement statement)
            {
                switch (statement)
                {
                    case BoundBuiltinLayer layer:
                        return ChannelCountParameters(layer)
                            .SelectMany(parameter => Consider(new Check(CheckKind.ChannelCount, layer[parameter].Value!), ChannelsName(layer, parameter)))
                            .ToList();
                    case BoundGroup group:
                        return Labelled(group.Label, group.Body);
                    case BoundPath path:
                        return Labelled(path.Label, path.Body);
                    case BoundPaths paths:
                        return Body(paths.Paths);
                    case BoundResidual residual:
                        return Body(residual.Body);
                    case BoundRepeat repeat:
                        return Consider(new Check(CheckKind.RepeatCount, repeat.Count), "repeatCount")
                            .Concat(Loop(repeat.Body, Literal(repeat.Count) >= 1)).ToList();
                    case BoundDense dense:
                        return Consider(new Check(CheckKind.DenseCount, dense.Count), "denseCount")
                            .Concat(Loop(dense.Body, Literal(dense.Count) >= 1)).ToList();
                    case BoundFor loop when loop.Range is { } range:
                        return Consider(new Check(CheckKind.RangeLength, range.From, range.To), "")
                            .Concat(Loop(loop.Body, Literal(range.From) is { } from && Literal(range.To) is { } to && from <= to)).ToList();
                    case BoundFor loop:
                        return Loop(loop.Body, loop.Source is BoundList { Items.Count: > 0 });
                    case BoundIf conditional:
                    {
                        var then = Body(conditional.Then);
                        var otherwise = conditional.Else == null ? new HashSet<Check>() : Body(conditional.Else);
                        then.IntersectWith(otherwise);
                        return then;
                    }
                    default:
                        return Enumerable.Empty<Check>();
                }
            }

            private IEnumerable<Check> Labelled(string? label, BoundBody body)
            {
                if (label == null)
                    return Body(body);
                labels.Add(label);
                var sure = Body(body);
                labels.RemoveAt(labels.Count - 1);
                return sure;
            }

            /// <summary>The body's checks, which the constructor is sure to make only when the loop surely makes a pass.</summary>
            private IEnumerable<Check> Loop(BoundBody body, bool makesAPass)
            {
                var sure = Body(body);
                return makesAPass ? sure : Enumerable.Empty<Check>();
            }

            /// <summary>The check, when it could go to the top: it checks something not constant and depends on nothing computed further down.</summary>
            private IEnumerable<Check> Consider(Check check, string nameHint)
            {
                if (check.Value.IsConstant && (check.End == null || check.End.IsConstant))
                    return System.Array.Empty<Check>();
                if (!seen.TryGetValue(check, out var candidate))
                {
                    var slot = Slot(check.Value, null);
                    if (check.End != null)
                        slot = Later(slot, Slot(check.End, null));
                    candidate = slot == null ? null : new HoistedCheck(check, slot.Value, nameHint);
                    seen[check] = candidate;
                    if (candidate != null)
                        Candidates.Add(candidate);
                }
                return candidate == null ? System.Array.Empty<Check>() : new[] { check };
            }

            /// <summary>
            /// The first slot where <paramref name="value"/> can be computed at the top level; null when it depends on something
            /// that is not there (a loop variable, the current channels, a let in a nested body).
            /// </summary>
            private int? Slot(BoundExpression value, HashSet<int>? functionParameters)
            {
                switch (value)
                {
                    case BoundIntLiteral _:
                    case BoundFloatLiteral _:
                    case BoundBoolLiteral _:
                    case BoundActivationLiteral _:
                        return Start;
                    case BoundVariableReference reference:
                        var variable = reference.Variable;
                        if (variable.Kind == VariableKind.Parameter)
                            return Start;
                        if (variable.Kind == VariableKind.Let && letSlots.TryGetValue(variable.Id, out var letSlot))
                            return letSlot;
                        if (variable.Kind == VariableKind.FunctionParameter && functionParameters != null && functionParameters.Contains(variable.Id))
                            return Start;
                        return null;
                    case BoundInputChannels _:
                        return inputChannelsSlot;
                    case BoundUnary unary:
                        return Slot(unary.Operand, functionParameters);
                    case BoundBinary binary:
                        return Later(Slot(binary.Left, functionParameters), Slot(binary.Right, functionParameters));
                    case BoundConditional conditional:
                        return Later(Later(Slot(conditional.Condition, functionParameters), Slot(conditional.WhenTrue, functionParameters)),
                            Slot(conditional.WhenFalse, functionParameters));
                    case BoundBuiltinCall call:
                        return All(call.Arguments, functionParameters);
                    case BoundFunctionCall call:
                    {
                        if (!functions.TryGetValue(call.FunctionId, out var function) || functionParameters != null)
                            return null;
                        var instance = function.Instances[call.Instance];
                        var body = Slot(instance.Body, new HashSet<int>(instance.Parameters.Select(p => p.Id)));
                        return Later(body, All(call.Arguments, null));
                    }
                    case BoundListIndex index:
                        return Later(Slot(index.List, functionParameters), Slot(index.Index, functionParameters));
                    case BoundTupleItem item:
                        return Slot(item.Tuple, functionParameters);
                    case BoundTuple tuple:
                        return All(tuple.Items, functionParameters);
                    case BoundList list:
                        return All(list.Items, functionParameters);
                    case BoundWholeNumber whole:
                        return Slot(whole.Operand, functionParameters);
                    case BoundSamePadding padding:
                        return Later(Slot(padding.Kernel, functionParameters), Slot(padding.Dilation, functionParameters));
                    default:
                        // The current channels, and anything this walk does not know.
                        return null;
                }
            }

            private int? All(IEnumerable<BoundExpression> values, HashSet<int>? functionParameters) =>
                values.Aggregate((int?)Start, (slot, value) => Later(slot, Slot(value, functionParameters)));

            private static int? Later(int? a, int? b) => a == null || b == null ? null : System.Math.Max(a.Value, b.Value);

            private static long? Literal(BoundExpression value) => value switch
            {
                BoundIntLiteral literal => literal.Value,
                BoundUnary { Operator: Syntax.UnaryOperator.Negate, Operand: BoundIntLiteral literal } => -literal.Value,
                _ => null,
            };

            /// <summary>
            /// The name of the local holding a checked channel count that is more than a name: after the layer's label, else the
            /// innermost label around it, else the layer (<c>stemChannels</c>, <c>fcChannels</c>, <c>convChannels</c>).
            /// </summary>
            private string ChannelsName(BoundBuiltinLayer layer, string parameter)
            {
                var label = layer.Label ?? (labels.Count > 0 ? labels[labels.Count - 1] : null);
                var stem = label == null ? (parameter == "squeeze" ? "squeeze" : layer.Name) : CamelCase(label) + (parameter == "squeeze" ? "Squeeze" : "");
                return stem + "Channels";
            }

            private static string CamelCase(string label)
            {
                var pascal = CSharpNames.ToPascalCase(label);
                return pascal.Length == 0 ? label : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
            }
        }
    }
}
