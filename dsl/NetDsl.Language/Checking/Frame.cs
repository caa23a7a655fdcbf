using System.Collections.Generic;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// The values of one network or block instance: parameters, lets, loop variables, and the features at
    /// the current statement (for <c>channels</c>). Paths of a parallel get a snapshot each.
    /// </summary>
    internal sealed class Frame
    {
        private readonly Dictionary<Symbol, Value?> values;

        public Frame(SourceText source, Dictionary<Symbol, Value?>? values = null)
        {
            Source = source;
            this.values = values ?? new Dictionary<Symbol, Value?>();
        }

        public SourceText Source { get; }

        /// <summary>The channels entering the block (for a network, the input's).</summary>
        public Value? In { get; set; }

        /// <summary>The features at the statement being evaluated; null when unknown after an error.</summary>
        public FeatureShape? Current { get; set; }

        public Value? Get(Symbol symbol) => values.TryGetValue(symbol, out var value) ? value : null;

        public bool TryGet(Symbol symbol, out Value? value) => values.TryGetValue(symbol, out value);

        public void Set(Symbol symbol, Value? value) => values[symbol] = value;

        public void Remove(Symbol symbol) => values.Remove(symbol);

        public Frame Snapshot() => new Frame(Source, new Dictionary<Symbol, Value?>(values)) { In = In, Current = Current };
    }
}
