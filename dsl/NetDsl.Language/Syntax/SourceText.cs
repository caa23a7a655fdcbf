using System;
using System.Collections.Generic;

namespace NetDsl.Syntax
{
    /// <summary>The text of one <c>.nn</c> file with its path, and the mapping from offsets to lines.</summary>
    public sealed class SourceText : IEquatable<SourceText>
    {
        private readonly int[] lineStarts;

        public SourceText(string path, string text)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            Text = text ?? throw new ArgumentNullException(nameof(text));
            lineStarts = ComputeLineStarts(text);
        }

        public string Path { get; }

        public string Text { get; }

        public int LineCount => lineStarts.Length;

        public LinePosition GetLinePosition(int offset)
        {
            offset = Math.Max(0, Math.Min(offset, Text.Length));
            int line = Array.BinarySearch(lineStarts, offset);
            if (line < 0)
                line = ~line - 1;
            return new LinePosition(line, offset - lineStarts[line]);
        }

        public int GetOffset(LinePosition position) =>
            Math.Min(Text.Length, lineStarts[Math.Max(0, Math.Min(position.Line, lineStarts.Length - 1))] + position.Column);

        public string ToString(TextSpan span) =>
            Text.Substring(Math.Min(span.Start, Text.Length), Math.Max(0, Math.Min(span.Length, Text.Length - span.Start)));

        public bool Equals(SourceText? other) => other is not null && Path == other.Path && Text == other.Text;

        public override bool Equals(object? obj) => Equals(obj as SourceText);

        public override int GetHashCode() => unchecked(Path.GetHashCode() * 397 ^ Text.GetHashCode());

        private static int[] ComputeLineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                if (c == '\n' || c == '\r')
                    starts.Add(i + 1);
            }
            return starts.ToArray();
        }
    }
}
