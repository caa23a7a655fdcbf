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

        /// <summary>
        /// The current feature maps when there are several (after <c>from a, b</c>, <c>inputs</c> or a block with several
        /// outputs); null when there is one, which is then <see cref="Current"/>.
        /// </summary>
        public List<FeatureShape?>? Bundle { get; set; }

        /// <summary>
        /// The named feature maps of this network or block instance (<c>-&gt; p3</c>): each one's shape (null when unknown
        /// after an error) and the path of the row that computes it ("" for the input; see <see cref="Producers"/>).
        /// </summary>
        public Dictionary<string, (FeatureShape? Shape, string Source)> Features { get; private set; } =
            new Dictionary<string, (FeatureShape? Shape, string Source)>();

        /// <summary>The feature maps an <c>outputs</c> statement gave, in its order, with the rows that compute them; null without one.</summary>
        public List<(string Name, FeatureShape? Shape, string Source)>? Outputs { get; set; }

        // Where the data comes from, for tools that draw the network (LayerReport.Sources): the path of the row that
        // computes each current feature map and each named one ("" for the input), at the body's own level.

        /// <summary>The depth of the rows of this network's or block's own body.</summary>
        public int BodyDepth { get; set; }

        public List<string> Producers { get; set; } = new List<string> { "" };

        /// <summary>The sources of the next row at the body's level, when they are not the row before it (after <c>from</c>).</summary>
        public List<string>? PendingSources { get; set; }

        public Value? Get(Symbol symbol) => values.TryGetValue(symbol, out var value) ? value : null;

        public bool TryGet(Symbol symbol, out Value? value) => values.TryGetValue(symbol, out value);

        public void Set(Symbol symbol, Value? value) => values[symbol] = value;

        public void Remove(Symbol symbol) => values.Remove(symbol);

        public Frame Snapshot() => new Frame(Source, new Dictionary<Symbol, Value?>(values)) { In = In, Current = Current, Features = Features };
    }
}
