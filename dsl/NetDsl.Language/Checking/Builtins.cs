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
        public static readonly string[] Activations = LayerCatalogue.Activations.Select(a => a.Name).ToArray();

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

        /// <summary>The argument-matching view of <see cref="LayerCatalogue"/>: names, types, and which are required.</summary>
        private static Dictionary<string, LayerSpec> CreateLayers() =>
            LayerCatalogue.Layers.Values.ToDictionary(
                layer => layer.Name,
                layer => new LayerSpec(layer.Name, layer.Kind,
                    layer.Parameters.Select(p => new ParameterSpec(p.Name, p.Type, p.IsRequired)).ToEquatableArray()));
    }
}
