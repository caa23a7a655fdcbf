using System.Linq;
using NetDsl.Binding;
using NetDsl.Model;

namespace NetDsl.Emit
{
    internal sealed partial class BodyPrinter
    {
        /// <summary>The C# that reads the module appended last (a block's, for its output shape).</summary>
        private string lastAppended = "";

        private void AppendModule(string module, string type, string? label, Sequence where)
        {
            var call = label == null ? $"{where.Append}({module})" : $"{where.Append}({CSharpNames.Literal(label)}, {module})";
            var property = label == null ? null : Property(label, type, where);
            if (property != null)
            {
                writer.WriteLine($"this.{property} = {call};");
                lastAppended = "this." + property + (where.InConditional ? "!" : "");
            }
            else if (type.StartsWith($"global::{namespaceName}."))
            {
                // A block: keep it in a local to read its output shape.
                var local = Names.Allocate(label == null ? BlockLocal(type) : CSharpNames.Escape(label));
                writer.WriteLine($"var {local} = {call};");
                lastAppended = local;
            }
            else
            {
                writer.WriteLine(call + ";");
                lastAppended = "";
            }
        }

        /// <summary>The local an unlabelled block use is kept in: its class name in camel case (<c>BasicBlock</c> → <c>basicBlock</c>).</summary>
        private static string BlockLocal(string className)
        {
            var name = className.Substring(className.LastIndexOf('.') + 1).TrimStart('@');
            return CSharpNames.Escape(char.ToLowerInvariant(name[0]) + name.Substring(1));
        }

        private string? Property(string label, string type, Sequence where)
        {
            if (!where.IsClassLevel)
                return null;
            var name = CSharpNames.ToPascalCase(label);
            Properties.Add(new LabelProperty(name, type, where.InConditional, label));
            return name;
        }

        /// <summary>The construction of a block: the features' shape, then the arguments as written (the block's defaults are its constructor's).</summary>
        private string BlockUse(BoundBlockUse use, string className, Sequence where, string input)
        {
            var arguments = use.Arguments
                .Where(argument => argument.SourceOrder != null)
                .OrderBy(argument => argument.SourceOrder)
                .Select(argument =>
                {
                    var code = expressions.Code(argument.Value, where);
                    return argument.IsNamed ? $"{CSharpNames.Escape(argument.Parameter)}: {code}" : code;
                });
            return $"new {className}({string.Join(", ", new[] { input }.Concat(arguments))})";
        }

        /// <summary>
        /// The construction of a built-in layer through the runtime's factories, from its bound arguments (defaults filled
        /// in by the binder). bn's eps and momentum are passed only when given: TorchSharp's defaults are the catalogue's.
        /// </summary>
        private string BuiltinLayer(BoundBuiltinLayer layer, Sequence where)
        {
            string Code(string parameter) => expressions.Code(layer[parameter].Value!, where);
            string Channels(string parameter) => checks.ChannelCount(layer[parameter].Value!, where);
            var module = "global::" + layer.Module;
            var shape = where.Shape;
            switch (layer.Kind)
            {
                case BuiltinLayerKind.Conv:
                {
                    // Layers.Conv2d checks the groups against the channels (NN0202).
                    return $"{Composition}.Layers.Conv2d(ref {shape}, {Channels("out")}, kernel: {Code("k")}, stride: {Code("s")}, " +
                           $"padding: {Code("pad")}, dilation: {Code("dilation")}, groups: {Code("groups")}, bias: {Code("bias")})";
                }
                case BuiltinLayerKind.DepthwiseConv:
                {
                    var kernel = Code("k");
                    var dilation = Code("dilation");
                    return $"{Composition}.Layers.Conv2d(ref {shape}, {(layer["out"].IsGiven ? Channels("out") : Code("out"))}, " +
                           $"kernel: {kernel}, stride: {Code("s")}, padding: {Code("pad")}, " +
                           $"dilation: {dilation}, groups: {shape}.Channels, bias: {Code("bias")}, layer: \"{layer.Name}\")";
                }
                case BuiltinLayerKind.TransposedConv:
                    return $"{Composition}.Layers.ConvTranspose2d(ref {shape}, {Channels("out")}, kernel: {Code("k")}, stride: {Code("s")}, " +
                           $"padding: {Code("pad")}, bias: {Code("bias")})";
                case BuiltinLayerKind.Upsample:
                    return $"{Composition}.Layers.Upsample(ref {shape}, {Code("scale")}, bilinear: {Code("bilinear")})";
                case BuiltinLayerKind.CompConv:
                    return $"{Composition}.Layers.CompConv(ref {shape}, {Channels("out")}, kernel: {Code("k")}, " +
                           $"stride: {Code("s")}, depth: {(layer["d"].Value != null ? Code("d") : "null")}, c0: {Code("c0")})";
                case BuiltinLayerKind.Linear:
                    return $"{Composition}.Layers.Linear(ref {shape}, {Channels("out")}, bias: {Code("bias")})";
                case BuiltinLayerKind.BatchNorm:
                {
                    var options = (layer["eps"].IsGiven ? $", eps: {Code("eps")}" : "") + (layer["momentum"].IsGiven ? $", momentum: {Code("momentum")}" : "");
                    return $"{Nn}.{layer.Module.Substring(layer.Module.LastIndexOf('.') + 1)}({shape}.Channels{options})";
                }
                case BuiltinLayerKind.MaxPool:
                case BuiltinLayerKind.AvgPool:
                {
                    var isMax = layer.Kind == BuiltinLayerKind.MaxPool;
                    if (layer.IsGlobalPooling)
                        return $"{Composition}.Layers.{(isMax ? "GlobalMaxPool" : "GlobalAvgPool")}(ref {shape})";
                    return $"{Composition}.Layers.{(isMax ? "MaxPool" : "AvgPool")}(ref {shape}, kernel: {Code("k")}, stride: {Code("s")}, " +
                           $"padding: {Code("pad")}, ceil: {Code("ceil")})";
                }
                case BuiltinLayerKind.Flatten:
                    return $"{Composition}.Layers.Flatten(ref {shape})";
                case BuiltinLayerKind.Dropout:
                    return $"{Nn}.Dropout({Code("p")})";
                case BuiltinLayerKind.DropPath:
                    return $"new {module}({Code("p")})";
                case BuiltinLayerKind.Shuffle:
                {
                    var groups = Code("groups");
                    writer.WriteLine($"{Composition}.Require.ShuffleGroups({groups}, {shape}.Channels);");
                    return $"new {module}({groups})";
                }
                case BuiltinLayerKind.CReLU:
                    return $"{Composition}.Layers.CReLU(ref {shape})";
                case BuiltinLayerKind.SqueezeExcite:
                {
                    var squeeze = layer["squeeze"].IsGiven ? Channels("squeeze") : Code("squeeze");
                    return $"new {module}({shape}.Channels, {squeeze}, {Composition}.Activations.Create({Code("act")}), " +
                           $"{Composition}.Activations.Create({Code("gate")}))";
                }
                default:
                    return $"{Nn}.{LayerCatalogue.Activation(layer.Name)!.TorchFactory}()";
            }
        }
    }
}
