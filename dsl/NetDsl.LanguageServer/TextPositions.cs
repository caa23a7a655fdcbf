using NetDsl.LanguageServer.Protocol;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer;

/// <summary>
/// Converts between LSP positions (zero-based line and UTF-16 column, like .NET strings) and offsets in a
/// text, clamping positions past a line's end or past the last line as the protocol asks.
/// </summary>
internal sealed class TextPositions
{
    private readonly string text;
    private readonly int[] lineStarts;

    public TextPositions(string text)
    {
        this.text = text;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            if (c == '\n' || c == '\r')
                starts.Add(i + 1);
        }
        lineStarts = starts.ToArray();
    }

    public int LineCount => lineStarts.Length;

    public int ToOffset(Position position)
    {
        if (position.Line < 0)
            return 0;
        if (position.Line >= lineStarts.Length)
            return text.Length;
        int start = lineStarts[position.Line];
        int end = LineEnd(position.Line);
        return Math.Min(end, start + Math.Max(0, position.Character));
    }

    public Position ToPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        int line = Array.BinarySearch(lineStarts, offset);
        if (line < 0)
            line = ~line - 1;
        return new Position(line, offset - lineStarts[line]);
    }

    public Range ToRange(TextSpan span) => new(ToPosition(span.Start), ToPosition(span.End));

    public TextSpan ToSpan(Range range)
    {
        int start = ToOffset(range.Start);
        int end = ToOffset(range.End);
        return end < start ? new TextSpan(end, start - end) : TextSpan.FromBounds(start, end);
    }

    /// <summary>The offset of the line break ending <paramref name="line"/> (or the end of the text).</summary>
    public int LineEnd(int line)
    {
        int end = line + 1 < lineStarts.Length ? lineStarts[line + 1] : text.Length;
        while (end > lineStarts[line] && (text[end - 1] == '\n' || text[end - 1] == '\r'))
            end--;
        return end;
    }

    /// <summary>Applies one <c>didChange</c> content change: a range edit, or the whole text when the range is absent.</summary>
    public static string Apply(string text, TextDocumentContentChangeEvent change)
    {
        if (change.Range is null)
            return change.Text ?? "";
        var span = new TextPositions(text).ToSpan(change.Range);
        return string.Concat(text.AsSpan(0, span.Start), change.Text ?? "", text.AsSpan(span.End));
    }
}
