using System.Collections.Generic;
using System.Linq;
using NetDsl.Model;

namespace NetDsl.Checking
{
    /// <summary>One parameter of a built-in layer; <see cref="Required"/> ones have no default.</summary>
    internal sealed record ParameterSpec(string Name, DslType Type, bool Required = false);

    /// <summary>A built-in layer's name, kind and parameters in positional order.</summary>
    internal sealed record LayerSpec(string Name, BuiltinLayerKind Kind, EquatableArray<ParameterSpec> Parameters);

    /// <summary>The built-in layers, activations and functions of docs/language.md.</summary>
    internal static class Builtins
    {
        public static readonly string[] Activations =
            { "relu", "relu6", "hswish", "hsigmoid", "silu", "swish", "sigmoid", "gelu", "tanh", "identity" };

        /// <summary>Built-in functions and their argument counts (max -1: any number).</summary>
        public static readonly IReadOnlyDictionary<string, (int Min, int Max)> Functions = new Dictionary<string, (int, int)>
        {
            ["min"] = (1, -1),
            ["max"] = (1, -1),
            ["abs"] = (1, 1),
            ["ceil"] = (1, 1),
            ["floor"] = (1, 1),
            ["round"] = (1, 1),
            ["len"] = (1, 1),
            ["sum"] = (1, 1),
            ["divisible"] = (2, 3),
        };

        public static readonly IReadOnlyDictionary<string, LayerSpec> Layers = CreateLayers();

        private static readonly Dictionary<string, Symbol> FunctionSymbols =
            Functions.Keys.ToDictionary(name => name, name => new Symbol(SymbolKind.BuiltinFunction, name, null, DslType.Unknown));

        private static readonly Dictionary<string, Symbol> ActivationSymbols =
            Activations.ToDictionary(name => name, name => new Symbol(SymbolKind.Activation, name, null, DslType.Activation));

        public static readonly Symbol In = new Symbol(SymbolKind.In, "in", null, DslType.Int);

        public static readonly Symbol Channels = new Symbol(SymbolKind.Channels, "channels", null, DslType.Int);

        public static Symbol? Function(string name) => FunctionSymbols.TryGetValue(name, out var symbol) ? symbol : null;

        public static Symbol? Activation(string name) => ActivationSymbols.TryGetValue(name, out var symbol) ? symbol : null;

        /// <summary>What a user-declared name would clash with, or null: "layer", "activation", "function".</summary>
        public static string? ClashKind(string name)
        {
            if (ActivationSymbols.ContainsKey(name))
                return "activation";
            if (Layers.ContainsKey(name))
                return "layer";
            if (Functions.ContainsKey(name))
                return "function";
            return name == "channels" ? "value" : null;
        }

        private static Dictionary<string, LayerSpec> CreateLayers()
        {
            var layers = new Dictionary<string, LayerSpec>();
            void Add(string name, BuiltinLayerKind kind, params ParameterSpec[] parameters) =>
                layers[name] = new LayerSpec(name, kind, parameters.ToEquatableArray());

            var bias = new ParameterSpec("bias", DslType.Bool);
            Add("conv", BuiltinLayerKind.Conv,
                new ParameterSpec("out", DslType.Int, Required: true), new ParameterSpec("k", DslType.Int), new ParameterSpec("s", DslType.Int),
                new ParameterSpec("pad", DslType.Int), new ParameterSpec("dilation", DslType.Int), new ParameterSpec("groups", DslType.Int), bias);
            Add("dwconv", BuiltinLayerKind.DepthwiseConv,
                new ParameterSpec("k", DslType.Int), new ParameterSpec("s", DslType.Int), new ParameterSpec("pad", DslType.Int),
                new ParameterSpec("dilation", DslType.Int), new ParameterSpec("out", DslType.Int), bias);
            Add("compconv", BuiltinLayerKind.CompConv,
                new ParameterSpec("out", DslType.Int, Required: true), new ParameterSpec("k", DslType.Int), new ParameterSpec("s", DslType.Int),
                new ParameterSpec("d", DslType.Int), new ParameterSpec("c0", DslType.Int));
            Add("linear", BuiltinLayerKind.Linear, new ParameterSpec("out", DslType.Int, Required: true), bias);
            Add("bn", BuiltinLayerKind.BatchNorm, new ParameterSpec("eps", DslType.Float), new ParameterSpec("momentum", DslType.Float));
            foreach (var activation in Activations)
                Add(activation, BuiltinLayerKind.Activation);
            Add("crelu", BuiltinLayerKind.CReLU);
            var pool = new[]
            {
                new ParameterSpec("k", DslType.Int), new ParameterSpec("s", DslType.Int), new ParameterSpec("pad", DslType.Int),
                new ParameterSpec("ceil", DslType.Bool),
            };
            Add("maxpool", BuiltinLayerKind.MaxPool, pool);
            Add("avgpool", BuiltinLayerKind.AvgPool, pool);
            Add("flatten", BuiltinLayerKind.Flatten);
            Add("dropout", BuiltinLayerKind.Dropout, new ParameterSpec("p", DslType.Float));
            Add("droppath", BuiltinLayerKind.DropPath, new ParameterSpec("p", DslType.Float, Required: true));
            Add("shuffle", BuiltinLayerKind.Shuffle, new ParameterSpec("groups", DslType.Int, Required: true));
            Add("se", BuiltinLayerKind.SqueezeExcite,
                new ParameterSpec("reduce", DslType.Int), new ParameterSpec("squeeze", DslType.Int),
                new ParameterSpec("act", DslType.Activation), new ParameterSpec("gate", DslType.Activation));
            return layers;
        }
    }
}
