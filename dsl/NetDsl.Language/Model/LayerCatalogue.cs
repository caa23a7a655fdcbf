using System.Collections.Generic;
using System.Linq;

namespace NetDsl.Model
{
    /// <summary>How a built-in layer's parameter gets its value when an argument does not give one.</summary>
    public enum DefaultRule
    {
        /// <summary>No default: the argument is required.</summary>
        Required,
        /// <summary>The constant <see cref="LayerParameter.Value"/>.</summary>
        Constant,
        /// <summary>The value of another parameter, <see cref="LayerParameter.Value"/> names it (pooling's <c>s</c> is <c>k</c>).</summary>
        SameAs,
        /// <summary><c>dilation * (k - 1) / 2</c>: the padding that keeps the size at stride 1.</summary>
        SamePadding,
        /// <summary>No bias when the next statement of the same body is <c>bn</c> (which would cancel it), a bias otherwise.</summary>
        AutoBias,
        /// <summary>The channel count entering the layer.</summary>
        InputChannels,
        /// <summary>Computed from other parameters by the layer's rule (compconv's <c>d</c> from <c>c0</c>, se's <c>squeeze</c> from <c>reduce</c>).</summary>
        Derived,
    }

    /// <summary>
    /// One parameter of a built-in layer: its name (positional arguments follow the order of the layer's
    /// list), its type and its default. <see cref="Value"/> is a <c>long</c>, <c>double</c>, <c>bool</c> or, for an
    /// activation, the activation's name (for <see cref="DefaultRule.SameAs"/>: the other parameter's name).
    /// </summary>
    public sealed record LayerParameter(string Name, DslType Type, DefaultRule Default, object? Value = null)
    {
        public bool IsRequired => Default == DefaultRule.Required;

        /// <summary>The default of an int parameter with a constant default.</summary>
        public long IntValue => (long)Value!;

        /// <summary>The default of a float parameter with a constant default.</summary>
        public double FloatValue => (double)Value!;

        /// <summary>The default of a bool parameter with a constant default.</summary>
        public bool BoolValue => (bool)Value!;

        /// <summary>The default of an activation parameter: the activation's name.</summary>
        public string ActivationValue => (string)Value!;
    }

    /// <summary>
    /// A built-in activation: its name in the language, the TorchSharp factory in <c>torch.nn</c> and module type in
    /// <c>TorchSharp.Modules</c> it becomes as a layer, and its member of the runtime's <c>Activation</c> enum (for
    /// activations passed as values, e.g. to <c>se</c> or through a table).
    /// </summary>
    public sealed record ActivationDefinition(string Name, string TorchFactory, string TorchModule, string RuntimeMember);

    /// <summary>
    /// A built-in layer as data: its parameters (types and defaults), the module it builds, and the names of its
    /// children in the state dict. The checker (arguments, shapes, costs) and every back end read this one
    /// definition; the shape and cost rules for each <see cref="Kind"/> are in <c>ShapeRules</c> and <c>CostModel</c>.
    /// </summary>
    /// <param name="Name">The layer's name in the language (<c>conv</c>).</param>
    /// <param name="Kind">Which rule evaluates it.</param>
    /// <param name="Parameters">Parameters in positional order.</param>
    /// <param name="Module">The module type it builds: a TorchSharp type (<c>TorchSharp.Modules.Conv2d</c>) or a
    /// runtime type (<c>NetDsl.Runtime.SqueezeExcite</c>); for pooling without <c>k</c>, see <see cref="GlobalModule"/>.</param>
    /// <param name="Children">Names of its child modules in the state dict, when it has any (<c>se</c>: <c>fc1</c>, <c>fc2</c>;
    /// <c>compconv</c>: <c>seed</c>, then <c>expand1</c>, <c>expand2</c>, ...).</param>
    public sealed record LayerDefinition(string Name, BuiltinLayerKind Kind, EquatableArray<LayerParameter> Parameters, string Module,
        EquatableArray<string> Children)
    {
        /// <summary>
        /// For pooling: the module it builds when <c>k</c> is not given, which makes it global pooling (to 1x1) whatever
        /// else is given; null for other layers.
        /// </summary>
        public string? GlobalModule { get; init; }

        /// <summary>The module it builds for flat features (after <c>flatten</c>), when that differs: bn's <c>BatchNorm1d</c>.</summary>
        public string? FlatModule { get; init; }

        /// <summary>Whether the layer's bias follows the next statement (<see cref="DefaultRule.AutoBias"/>).</summary>
        public bool HasAutoBias => Parameters.Any(p => p.Default == DefaultRule.AutoBias);

        /// <summary>Whether the pooling is global: a pooling layer given no <c>k</c>.</summary>
        public bool IsGlobalPooling(IEnumerable<string> givenArguments) => GlobalModule != null && !givenArguments.Contains("k");

        /// <summary>The parameter called <paramref name="name"/>; the catalogue's own code asks only for parameters that exist.</summary>
        public LayerParameter this[string name] => Parameters.First(p => p.Name == name);

        /// <summary>The parameter names in positional order.</summary>
        public IEnumerable<string> ParameterNames => Parameters.Select(p => p.Name);
    }

    /// <summary>The built-in layers and activations of docs/language.md, as data.</summary>
    public static class LayerCatalogue
    {
        private const string Torch = "TorchSharp.Modules.";
        private const string Runtime = "NetDsl.Runtime.";

        /// <summary>The activations in documentation order.</summary>
        public static readonly EquatableArray<ActivationDefinition> Activations = new[]
        {
            new ActivationDefinition("relu", "ReLU", Torch + "ReLU", "Relu"),
            new ActivationDefinition("relu6", "ReLU6", Torch + "ReLU6", "Relu6"),
            new ActivationDefinition("hswish", "Hardswish", Torch + "Hardswish", "HardSwish"),
            new ActivationDefinition("hsigmoid", "Hardsigmoid", Torch + "Hardsigmoid", "HardSigmoid"),
            new ActivationDefinition("silu", "SiLU", Torch + "SiLU", "SiLU"),
            new ActivationDefinition("swish", "SiLU", Torch + "SiLU", "SiLU"),
            new ActivationDefinition("sigmoid", "Sigmoid", Torch + "Sigmoid", "Sigmoid"),
            new ActivationDefinition("gelu", "GELU", Torch + "GELU", "GELU"),
            new ActivationDefinition("tanh", "Tanh", Torch + "Tanh", "Tanh"),
            new ActivationDefinition("identity", "Identity", Torch + "Identity", "Identity"),
        }.ToEquatableArray();

        /// <summary>Every built-in layer by name, activations included.</summary>
        public static readonly IReadOnlyDictionary<string, LayerDefinition> Layers = CreateLayers();

        /// <summary>The activation called <paramref name="name"/>, or null.</summary>
        public static ActivationDefinition? Activation(string name) => Activations.FirstOrDefault(a => a.Name == name);

        private static LayerParameter Required(string name, DslType type) => new LayerParameter(name, type, DefaultRule.Required);

        private static LayerParameter Constant(string name, DslType type, object value) => new LayerParameter(name, type, DefaultRule.Constant, value);

        private static Dictionary<string, LayerDefinition> CreateLayers()
        {
            var layers = new Dictionary<string, LayerDefinition>();
            void Add(string name, BuiltinLayerKind kind, string module, LayerParameter[] parameters, params string[] children) =>
                layers[name] = new LayerDefinition(name, kind, parameters.ToEquatableArray(), module, children.ToEquatableArray());

            var autoBias = new LayerParameter("bias", DslType.Bool, DefaultRule.AutoBias);
            var padding = new LayerParameter("pad", DslType.Int, DefaultRule.SamePadding);
            Add("conv", BuiltinLayerKind.Conv, Torch + "Conv2d", new[]
            {
                Required("out", DslType.Int), Constant("k", DslType.Int, 1L), Constant("s", DslType.Int, 1L), padding,
                Constant("dilation", DslType.Int, 1L), Constant("groups", DslType.Int, 1L), autoBias,
            });
            Add("dwconv", BuiltinLayerKind.DepthwiseConv, Torch + "Conv2d", new[]
            {
                Constant("k", DslType.Int, 3L), Constant("s", DslType.Int, 1L), padding, Constant("dilation", DslType.Int, 1L),
                new LayerParameter("out", DslType.Int, DefaultRule.InputChannels), autoBias,
            });
            Add("compconv", BuiltinLayerKind.CompConv, Runtime + "CompConv2d", new[]
            {
                Required("out", DslType.Int), Constant("k", DslType.Int, 3L), Constant("s", DslType.Int, 1L),
                new LayerParameter("d", DslType.Int, DefaultRule.Derived), Constant("c0", DslType.Int, 128L),
            }, "seed", "expand");
            // U-Net's "up-convolution": kernel 2, stride 2 doubles the spatial size.
            Add("deconv", BuiltinLayerKind.TransposedConv, Torch + "ConvTranspose2d", new[]
            {
                Required("out", DslType.Int), Constant("k", DslType.Int, 2L), new LayerParameter("s", DslType.Int, DefaultRule.SameAs, "k"),
                Constant("pad", DslType.Int, 0L), autoBias,
            });
            Add("upsample", BuiltinLayerKind.Upsample, Runtime + "Upsample", new[]
            {
                Constant("scale", DslType.Int, 2L), Constant("bilinear", DslType.Bool, false),
            });
            Add("linear", BuiltinLayerKind.Linear, Torch + "Linear", new[] { Required("out", DslType.Int), Constant("bias", DslType.Bool, true) });
            Add("bn", BuiltinLayerKind.BatchNorm, Torch + "BatchNorm2d", new[]
            {
                Constant("eps", DslType.Float, 1e-5), Constant("momentum", DslType.Float, 0.1),
            });
            layers["bn"] = layers["bn"] with { FlatModule = Torch + "BatchNorm1d" };
            foreach (var activation in Activations)
                Add(activation.Name, BuiltinLayerKind.Activation, activation.TorchModule, new LayerParameter[0]);
            Add("crelu", BuiltinLayerKind.CReLU, Runtime + "CReLU", new LayerParameter[0]);
            foreach (var (name, kind, torchName) in new[] { ("maxpool", BuiltinLayerKind.MaxPool, "Max"), ("avgpool", BuiltinLayerKind.AvgPool, "Avg") })
            {
                layers[name] = new LayerDefinition(name, kind, new[]
                {
                    // Without k the pooling is global: then no other argument has an effect (NN0192).
                    new LayerParameter("k", DslType.Int, DefaultRule.Derived), new LayerParameter("s", DslType.Int, DefaultRule.SameAs, "k"),
                    Constant("pad", DslType.Int, 0L), Constant("ceil", DslType.Bool, false),
                }.ToEquatableArray(), Torch + torchName + "Pool2d", EquatableArray<string>.Empty)
                {
                    GlobalModule = Torch + "Adaptive" + torchName + "Pool2d",
                };
            }
            Add("flatten", BuiltinLayerKind.Flatten, Torch + "Flatten", new LayerParameter[0]);
            Add("dropout", BuiltinLayerKind.Dropout, Torch + "Dropout", new[] { Constant("p", DslType.Float, 0.5) });
            Add("droppath", BuiltinLayerKind.DropPath, Runtime + "DropPath", new[] { Required("p", DslType.Float) });
            Add("shuffle", BuiltinLayerKind.Shuffle, Runtime + "ChannelShuffle", new[] { Required("groups", DslType.Int) });
            Add("se", BuiltinLayerKind.SqueezeExcite, Runtime + "SqueezeExcite", new[]
            {
                Constant("reduce", DslType.Int, 4L), new LayerParameter("squeeze", DslType.Int, DefaultRule.Derived),
                Constant("act", DslType.Activation, "relu"), Constant("gate", DslType.Activation, "sigmoid"),
            }, "fc1", "fc2");
            return layers;
        }
    }
}
