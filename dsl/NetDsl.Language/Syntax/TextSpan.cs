using System;

namespace NetDsl.Syntax
{
    /// <summary>A range of characters in a source text: [Start, Start + Length).</summary>
    public readonly record struct TextSpan(int Start, int Length)
    {
        public int End => Start + Length;

        public static TextSpan FromBounds(int start, int end) => new TextSpan(start, Math.Max(0, end - start));

        public TextSpan Cover(TextSpan other) => FromBounds(Math.Min(Start, other.Start), Math.Max(End, other.End));

        public override string ToString() => $"[{Start}..{End})";
    }

    /// <summary>A zero-based line and column, like Roslyn's LinePosition; printed one-based.</summary>
    public readonly record struct LinePosition(int Line, int Column)
    {
        public override string ToString() => $"({Line + 1},{Column + 1})";
    }
}
