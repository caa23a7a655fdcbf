using System.Collections.Generic;
using System.Linq;
using NetDsl.Model;
using NetDsl.Parsing;

namespace NetDsl.Checking
{
    /// <summary>One parameter of a built-in layer as tools show it; <see cref="Default"/> is the documented default (docs/language.md).</summary>
    public sealed record LayerParameterInfo(string Name, DslType Type, bool Required, string? Default)
    {
        /// <summary><c>k: 1</c>, <c>out</c> (required), <c>pad: dilation*(k-1)/2</c>.</summary>
        public override string ToString() => Required || Default is null ? Name : $"{Name}: {Default}";
    }

    /// <summary>A built-in layer as tools show it: its name, kind, and parameters in positional order.</summary>
    public sealed record LayerInfo(string Name, BuiltinLayerKind Kind, EquatableArray<LayerParameterInfo> Parameters, string Summary)
    {
        /// <summary><c>conv(out, k: 1, s: 1, ...)</c>, or the bare name for a layer without parameters.</summary>
        public string Signature => Parameters.Count == 0 ? Name : $"{Name}({string.Join(", ", Parameters.Select(p => p.ToString()))})";
    }

    /// <summary>
    /// The language's built-in layers, activations, functions and keywords, for editors and other tools. It reads
    /// the checker's own tables (<see cref="Builtins"/>, the lexicon), so there is one catalogue; only the defaults
    /// and one-line summaries, which the evaluator keeps in code, are restated here as documentation.
    /// </summary>
    public static class LayerCatalog
    {
        private static readonly Dictionary<string, string> Summaries = new Dictionary<string, string>
        {
            ["conv"] = "2-D convolution",
            ["dwconv"] = "depthwise convolution (groups = in)",
            ["compconv"] = "CompConv: divide-and-conquer convolution along channels",
            ["linear"] = "fully connected layer (needs flat features, after flatten)",
            ["bn"] = "batch normalisation",
            ["crelu"] = "relu(concat(x, -x)): doubles the channels",
            ["maxpool"] = "max pooling; without arguments, global",
            ["avgpool"] = "average pooling; without arguments, global",
            ["flatten"] = "flattens C x H x W to C*H*W features",
            ["dropout"] = "dropout",
            ["droppath"] = "stochastic depth (per sample)",
            ["shuffle"] = "channel shuffle",
            ["se"] = "squeeze-and-excitation",
            ["deconv"] = "transposed convolution (U-Net's up-convolution): k 2, s 2 doubles the size",
            ["upsample"] = "upsampling by an integer factor, nearest or bilinear",
        };

        private static readonly Dictionary<(string Layer, string Parameter), string> Defaults = new Dictionary<(string, string), string>
        {
            [("conv", "k")] = "1", [("conv", "s")] = "1", [("conv", "pad")] = "dilation*(k-1)/2", [("conv", "dilation")] = "1",
            [("conv", "groups")] = "1", [("conv", "bias")] = "auto",
            [("dwconv", "k")] = "3", [("dwconv", "s")] = "1", [("dwconv", "pad")] = "dilation*(k-1)/2", [("dwconv", "dilation")] = "1",
            [("dwconv", "out")] = "in", [("dwconv", "bias")] = "auto",
            [("compconv", "k")] = "3", [("compconv", "s")] = "1", [("compconv", "d")] = "from c0", [("compconv", "c0")] = "128",
            [("linear", "bias")] = "true",
            [("bn", "eps")] = "1e-5", [("bn", "momentum")] = "0.1",
            [("maxpool", "k")] = "global", [("maxpool", "s")] = "k", [("maxpool", "pad")] = "0", [("maxpool", "ceil")] = "false",
            [("avgpool", "k")] = "global", [("avgpool", "s")] = "k", [("avgpool", "pad")] = "0", [("avgpool", "ceil")] = "false",
            [("dropout", "p")] = "0.5",
            [("deconv", "k")] = "2", [("deconv", "s")] = "k", [("deconv", "pad")] = "0", [("deconv", "bias")] = "auto",
            [("upsample", "scale")] = "2", [("upsample", "bilinear")] = "false",
            [("se", "reduce")] = "4", [("se", "squeeze")] = "max(1, C div reduce)", [("se", "act")] = "relu", [("se", "gate")] = "sigmoid",
        };

        /// <summary>Every built-in layer (activations included), in the order of docs/language.md.</summary>
        public static IReadOnlyList<LayerInfo> Layers { get; } = Builtins.Layers.Values
            .Select(spec => new LayerInfo(
                spec.Name,
                spec.Kind,
                spec.Parameters.Select(p => new LayerParameterInfo(p.Name, p.Type, p.Required, Defaults.TryGetValue((spec.Name, p.Name), out var d) ? d : null)).ToEquatableArray(),
                Summaries.TryGetValue(spec.Name, out var summary) ? summary : spec.Kind == BuiltinLayerKind.Activation ? "activation" : spec.Name))
            .ToList();

        public static LayerInfo? Find(string name) => Layers.FirstOrDefault(layer => layer.Name == name);

        public static IReadOnlyList<string> Activations => Builtins.Activations;

        /// <summary>Built-in functions with their argument counts (<c>Max</c> -1: any number).</summary>
        public static IReadOnlyDictionary<string, (int Min, int Max)> Functions => Builtins.Functions;

        public static IReadOnlyCollection<string> Keywords => Lexicon.Keywords;

        /// <summary>Words that start a feature map statement (<c>from</c>, <c>fuse</c>, <c>resize</c>, <c>inputs</c>, <c>outputs</c>) and are names elsewhere.</summary>
        public static IReadOnlyCollection<string> StatementWords => Lexicon.StatementWords;

        /// <summary>True when <paramref name="text"/> is spelled like a name (it may still be a keyword).</summary>
        public static bool IsIdentifier(string text) => text.Length > 0 && Lexicon.ScanIdentifier(text, 0) == text.Length;
    }
}
