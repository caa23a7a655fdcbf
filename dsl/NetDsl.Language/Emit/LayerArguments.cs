using System.Collections.Generic;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>The arguments of one built-in layer, bound to its parameter names (positional in declared order, or named).</summary>
    internal sealed class LayerArguments
    {
        private readonly LayerStatement layer;
        private readonly ExpressionTranslator expressions;
        private readonly Frame frame;
        private readonly Dictionary<string, Expression> bound = new Dictionary<string, Expression>();

        public LayerArguments(LayerStatement layer, ExpressionTranslator expressions, Frame frame)
        {
            this.layer = layer;
            this.expressions = expressions;
            this.frame = frame;
        }

        public void Bind(params string[] parameters)
        {
            var position = 0;
            foreach (var argument in layer.Arguments ?? EquatableArray<Argument>.Empty)
            {
                var name = argument.Name?.Text ?? (position < parameters.Length ? parameters[position++] : null);
                if (name == null || System.Array.IndexOf(parameters, name) < 0)
                    throw new EmitException(argument.Span, $"{layer.Name.Text} has no argument '{argument.Name?.Text ?? "#" + (position + 1)}'");
                bound[name] = argument.Value;
            }
        }

        public bool Has(string name) => bound.ContainsKey(name);

        /// <summary>The names of the parameters an argument was given for.</summary>
        public IEnumerable<string> GivenNames => bound.Keys;

        public string Int(string name, string? fallback = null) =>
            bound.TryGetValue(name, out var value)
                ? expressions.AsInt(expressions.Translate(value, frame), $"{name} of {layer.Name.Text}")
                : fallback ?? throw Missing(name);

        public string Channels(string name) =>
            bound.TryGetValue(name, out var value) ? expressions.ChannelCount(value, frame) : throw Missing(name);

        public string Float(string name, string? fallback = null) =>
            bound.TryGetValue(name, out var value) ? expressions.Translate(value, frame).Code : fallback ?? throw Missing(name);

        public string Bool(string name, string fallback) =>
            bound.TryGetValue(name, out var value) ? expressions.Translate(value, frame).Code : fallback;

        public string Activation(string name, string fallback) =>
            bound.TryGetValue(name, out var value) ? expressions.Translate(value, frame).Code : fallback;

        private EmitException Missing(string name) => new EmitException(layer.Span, $"{layer.Name.Text} needs the argument '{name}'");
    }
}
