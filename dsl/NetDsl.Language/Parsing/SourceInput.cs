using System.Collections.Generic;
using NetDsl.Syntax;
using Sprache;

namespace NetDsl.Parsing
{
    /// <summary>
    /// A light Sprache input: a text and an offset. Sprache's own <see cref="Input"/> allocates a memo dictionary and
    /// tracks line/column on every advance, which dominates on large files; lines are computed on demand here instead.
    /// </summary>
    internal sealed class SourceInput : IInput
    {
        private readonly SourceText source;
        private IDictionary<object, object>? memos;

        public SourceInput(SourceText source, int position)
        {
            this.source = source;
            Position = position;
        }

        public SourceText SourceText => source;

        public string Source => source.Text;

        public int Position { get; }

        public char Current => Source[Position];

        public bool AtEnd => Position >= Source.Length;

        public int Line => source.GetLinePosition(Position).Line + 1;

        public int Column => source.GetLinePosition(Position).Column + 1;

        public IDictionary<object, object> Memos => memos ??= new Dictionary<object, object>();

        public IInput Advance() => AtEnd ? this : new SourceInput(source, Position + 1);

        public SourceInput At(int position) => new SourceInput(source, position);

        public bool Equals(IInput? other) => other is not null && other.Position == Position && ReferenceEquals(other.Source, Source);

        public override bool Equals(object? obj) => Equals(obj as IInput);

        public override int GetHashCode() => Position;
    }
}
