using System.Collections.Generic;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Named feature maps: each name's shape is a local of the constructor (declared where it is first named, or at the top
    /// when that is inside an if or a loop), the module keeps the tensors in numbered slots (<c>Keep</c>, <c>Recall</c>,
    /// <c>Merge</c>, <c>ResizeTo</c>), and several current feature maps are tracked in one shapes list.
    /// </summary>
    internal sealed partial class BodyPrinter
    {
        private const string ShapeType = "global::NetDsl.Runtime.FeatureShape";
        private const string ShapeList = "global::System.Collections.Generic.IReadOnlyList<global::NetDsl.Runtime.FeatureShape>";

        private readonly Dictionary<int, string> featureLocals = new Dictionary<int, string>();
        private readonly HashSet<int> declaredFeatures = new HashSet<int>();
        private string? bundle;
        private bool bundleDeclared;

        /// <summary>How many feature maps are current at the statement being printed.</summary>
        private int currentFeatures = 1;

        /// <summary>The slot the current feature map is kept in, when one is and it is known here (after <c>-&gt; a</c> or <c>from a</c>).</summary>
        private int? currentSlot;

        /// <summary>The constant each slot is read by: <c>FeatureSlots.P3</c>.</summary>
        private readonly Dictionary<int, string> slotNames = new Dictionary<int, string>();

        /// <summary>The declaration's feature map names and their slot constants, for the <c>FeatureSlots</c> class.</summary>
        public List<(string Constant, int Slot, string Feature)> SlotConstants { get; } = new List<(string, int, string)>();

        /// <summary>
        /// Before a declaration's body: names the shape locals of its feature maps, and declares at the top those first
        /// named inside an if or a loop (a C# local declared there would not be seen after it).
        /// </summary>
        public void DeclareFeatures(EquatableArray<string> features, BoundBody body)
        {
            var use = FeatureUse.Of(body);
            if (features.Count == 0 && !use.SeveralMaps)
                return;
            if (features.Count > 0)
                writer.WriteLine($"SetSlotCount({features.Count});");
            var constants = new HashSet<string>();
            for (int slot = 0; slot < features.Count; slot++)
            {
                featureLocals[slot] = Names.Allocate(CSharpNames.Escape(features[slot]));
                var constant = CSharpNames.ToPascalCase(features[slot]);
                if (!constants.Add(constant))
                {
                    constant += slot.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    constants.Add(constant);
                }
                slotNames[slot] = $"{FeatureSlotsClass}.{constant}";
                SlotConstants.Add((constant, slot, features[slot]));
            }
            foreach (var slot in use.FirstNamedNested.OrderBy(s => s))
            {
                writer.WriteLine($"{ShapeType} {featureLocals[slot]} = default;");
                declaredFeatures.Add(slot);
            }
            if (use.SeveralMaps)
            {
                bundle = Names.Allocate("features");
                if (use.SeveralMapsFirstNested)
                {
                    writer.WriteLine($"{ShapeList} {bundle} = new {ShapeType}[0];");
                    bundleDeclared = true;
                }
            }
        }

        /// <summary>A graph block's constructor: its input shapes become the current feature maps.</summary>
        public void BeginGraphInputs(string inputs, int count)
        {
            currentFeatures = count;
            if (count > 1 && bundle != null)
            {
                writer.WriteLine($"{(bundleDeclared ? "" : ShapeList + " ")}{bundle} = {inputs};");
                bundleDeclared = true;
            }
        }

        /// <summary>
        /// What a declaration's body asks of the constructor's locals, in one walk: the slots first named inside an if or a
        /// loop, and whether there are ever several current maps (and whether first inside an if or a loop).
        /// </summary>
        private sealed class FeatureUse
        {
            private readonly HashSet<int> named = new HashSet<int>();

            public HashSet<int> FirstNamedNested { get; } = new HashSet<int>();

            public bool SeveralMaps { get; private set; }

            public bool SeveralMapsFirstNested { get; private set; }

            public static FeatureUse Of(BoundBody body)
            {
                var use = new FeatureUse();
                use.Walk(body, topLevel: true);
                return use;
            }

            private void Walk(BoundBody body, bool topLevel)
            {
                foreach (var statement in body.Statements)
                {
                    switch (statement)
                    {
                        case BoundNameFeatures names:
                            Name(names.Features, topLevel);
                            break;
                        case BoundInputs inputs:
                            Name(inputs.Features, topLevel);
                            Several(inputs.Features.Count, topLevel);
                            break;
                        case BoundFrom from:
                            Several(from.Features.Count, topLevel);
                            break;
                        case BoundBlockUse { Graph: { } graph }:
                            Several(graph.Outputs, topLevel);
                            break;
                        case BoundRepeat repeat:
                            Walk(repeat.Body, false);
                            break;
                        case BoundFor loop:
                            Walk(loop.Body, false);
                            break;
                        case BoundIf conditional:
                            Walk(conditional.Then, false);
                            if (conditional.Else != null)
                                Walk(conditional.Else, false);
                            break;
                    }
                }
            }

            private void Name(EquatableArray<BoundFeature> features, bool topLevel)
            {
                foreach (var feature in features)
                {
                    if (named.Add(feature.Slot) && !topLevel)
                        FirstNamedNested.Add(feature.Slot);
                }
            }

            private void Several(int count, bool topLevel)
            {
                if (count < 2)
                    return;
                if (!SeveralMaps && !topLevel)
                    SeveralMapsFirstNested = true;
                SeveralMaps = true;
            }
        }

        private string Local(BoundFeature feature) => featureLocals[feature.Slot];

        /// <summary>The nested class of a graph network or block that names its slots.</summary>
        public const string FeatureSlotsClass = "FeatureSlots";

        private string Slot(BoundFeature feature) => slotNames[feature.Slot];

        private string Slots(EquatableArray<BoundFeature> features) => string.Join(", ", features.Select(Slot));

        /// <summary>Assigns a feature map's shape local, declaring it the first time.</summary>
        private void SetFeature(BoundFeature feature, string value)
        {
            var declare = declaredFeatures.Add(feature.Slot) ? "var " : "";
            writer.WriteLine($"{declare}{Local(feature)} = {value};");
        }

        private void SetBundle(string value, Sequence where)
        {
            writer.WriteLine($"{(bundleDeclared ? "" : ShapeList + " ")}{bundle} = {value};");
            bundleDeclared = true;
            writer.WriteLine($"{where.Shape} = {bundle}[0];");
        }

        private void PrintInputs(BoundInputs inputs, Sequence where)
        {
            writer.WriteLine($"Keep({Slots(inputs.Features)});");
            for (int i = 0; i < inputs.Features.Count; i++)
                SetFeature(inputs.Features[i], inputs.Features.Count == 1 ? where.Shape : $"{bundle}[{i}]");
        }

        private void PrintNameFeatures(BoundNameFeatures named, Sequence where)
        {
            writer.WriteLine($"Keep({Slots(named.Features)});");
            currentSlot = named.Features.Count == 1 ? named.Features[0].Slot : null;
            for (int i = 0; i < named.Features.Count; i++)
                SetFeature(named.Features[i], currentFeatures == 1 ? where.Shape : $"{bundle}[{i}]");
        }

        private void PrintFrom(BoundFrom from, Sequence where)
        {
            // `-> a  from a`: a is the current feature map already.
            if (from.Features.Count == 1 && currentFeatures == 1 && currentSlot == from.Features[0].Slot)
                return;
            writer.WriteLine($"Recall({Slots(from.Features)});");
            currentSlot = from.Features.Count == 1 ? from.Features[0].Slot : null;
            currentFeatures = from.Features.Count;
            if (from.Features.Count == 1)
                writer.WriteLine($"{where.Shape} = {Local(from.Features[0])};");
            else
                SetBundle($"new[] {{ {string.Join(", ", from.Features.Select(Local))} }}", where);
        }

        private void PrintMerge(BoundMerge merge, Sequence where)
        {
            var module = merge.Kind switch
            {
                FeatureMergeKind.Add => "FeatureSum",
                FeatureMergeKind.Concat => "FeatureConcat",
                _ => "WeightedFusion",
            };
            var name = merge.Kind.Keyword();
            var inputs = merge.Inputs.Select(Local).ToList();
            var written = $"{name}({string.Join(", ", merge.Inputs.Select(i => i.Name))})";
            // The checker saw them fit at the default arguments; other arguments may not.
            for (int i = 1; i < inputs.Count; i++)
            {
                writer.WriteLine($"{Composition}.Require.Mergeable({StringLiterals.Quote(written)}, " +
                                 $"{CSharpNames.Literal(merge.Inputs[0].Name)}, {inputs[0]}, {CSharpNames.Literal(merge.Inputs[i].Name)}, {inputs[i]});");
            }
            var construct = $"new {Runtime}.{module}({merge.Inputs.Count})";
            var call = merge.Label == null
                ? $"Merge({construct}, {Slots(merge.Inputs)})"
                : $"Merge({CSharpNames.Literal(merge.Label)}, {construct}, {Slots(merge.Inputs)})";
            var property = merge.Label == null ? null : Property(merge.Label, $"{Runtime}.{module}", where);
            writer.WriteLine(property == null ? call + ";" : $"this.{property} = {call};");
            currentFeatures = 1;
            var shape = merge.Kind == FeatureMergeKind.Concat
                ? $"{inputs[0]} with {{ Channels = {string.Join(" + ", inputs.Select(i => i + ".Channels"))} }}"
                : inputs[0];
            writer.WriteLine($"{where.Shape} = {shape};");
        }

        private void PrintResize(BoundResize resize, Sequence where)
        {
            writer.WriteLine($"ResizeTo({Slot(resize.Target)}, bilinear: {expressions.Code(resize.Bilinear, where)});");
            var target = Local(resize.Target);
            if (currentFeatures == 1)
                writer.WriteLine($"{where.Shape} = {where.Shape} with {{ Height = {target}.Height, Width = {target}.Width }};");
            else
                SetBundle($"{Composition}.FeatureShapes.ResizedTo({bundle}, {target})", where);
        }

        /// <summary>After a module that served several feature maps: their shapes, by the shared-layer rule.</summary>
        private void AfterShared(int sharedBy, Sequence where)
        {
            if (sharedBy > 1)
                SetBundle($"{Composition}.FeatureShapes.Shared({bundle}, {where.Shape})", where);
        }

        /// <summary>A block with <c>inputs</c> or <c>outputs</c>: all current feature maps go in, its outputs become the current ones.</summary>
        private void PrintGraphBlockUse(BoundBlockUse use, BoundGraphArity graph, Sequence where)
        {
            var className = $"global::{namespaceName}.{CSharpNames.Escape(use.Block)}";
            var inputs = currentFeatures > 1 ? bundle! : $"new[] {{ {where.Shape} }}";
            var construct = BlockUse(use, className, where, inputs);
            var call = use.Label == null ? $"AppendBlock({construct})" : $"AppendBlock({CSharpNames.Literal(use.Label)}, {construct})";
            var property = use.Label == null ? null : Property(use.Label, className, where);
            string block;
            if (property != null)
            {
                writer.WriteLine($"this.{property} = {call};");
                block = "this." + property + (where.InConditional ? "!" : "");
            }
            else
            {
                block = Names.Allocate(use.Label == null ? BlockLocal(className) : CSharpNames.Escape(use.Label));
                writer.WriteLine($"var {block} = {call};");
            }
            currentFeatures = graph.Outputs;
            if (graph.Outputs == 1)
                writer.WriteLine($"{where.Shape} = {block}.OutputShapes[0];");
            else
                SetBundle($"{block}.OutputShapes", where);
        }

        /// <summary>The end of a graph block: its outputs (without an <c>outputs</c> statement, the current feature maps).</summary>
        public void PrintBlockOutputs(BoundBody body, Sequence where)
        {
            if (body.Statements.OfType<BoundOutputs>().FirstOrDefault() is { } outputs)
            {
                writer.WriteLine($"SetOutputs({Slots(outputs.Features)});");
                writer.WriteLine($"OutputShapes = new[] {{ {string.Join(", ", outputs.Features.Select(Local))} }};");
                writer.WriteLine($"OutputShape = {Local(outputs.Features[0])};");
            }
            else
            {
                writer.WriteLine($"OutputShapes = {(currentFeatures > 1 ? bundle : $"new[] {{ {where.Shape} }}")};");
                writer.WriteLine($"OutputShape = {where.Shape};");
            }
        }

        /// <summary>The end of a network with several outputs: their names, slots and shapes.</summary>
        public void PrintNetworkOutputs(BoundOutputs outputs)
        {
            var names = string.Join(", ", outputs.Features.Select(f => CSharpNames.Literal(f.Name)));
            writer.WriteLine($"SetOutputs(new[] {{ {names} }}, new[] {{ {Slots(outputs.Features)} }}, new[] {{ {string.Join(", ", outputs.Features.Select(Local))} }});");
            writer.WriteLine($"OutputShape = {Local(outputs.Features[0])};");
        }

        /// <summary><c>outputs p5</c> in a network with one output: p5 becomes the current feature map.</summary>
        public void PrintSingleOutput(BoundOutputs outputs, Sequence where)
        {
            writer.WriteLine($"Recall({Slot(outputs.Features[0])});");
            writer.WriteLine($"{where.Shape} = {Local(outputs.Features[0])};");
        }
    }
}
