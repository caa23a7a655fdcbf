namespace NetDsl.LanguageServer.Features;

/// <summary>
/// Where the caret is, read from the buffer's text before it, for completion and signature help: it must work
/// while the line is half typed (and so does not parse). <see cref="Callee"/> is the name before the innermost
/// open '(' (null outside a call); <see cref="ArgumentIndex"/> counts the commas before the caret in that call;
/// <see cref="ArgumentName"/> is the name of the named argument being written (<c>k: 3|</c>);
/// <see cref="AtArgumentName"/> is true right after '(' or ',' where a named argument may start.
/// </summary>
internal sealed record CallContext(string? Callee, int ArgumentIndex, string? ArgumentName, bool AtArgumentName, bool InsideBraces, string Prefix)
{
    public static CallContext At(string text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        int wordStart = WordStart(text, offset);
        string prefix = text[wordStart..offset];

        int depth = 0, commas = 0, open = -1;
        string? argumentName = null;
        for (int i = wordStart - 1; i >= 0 && open < 0; i--)
        {
            char c = text[i];
            if (c is ')' or ']')
                depth++;
            else if (c is '(' or '[' && depth > 0)
                depth--;
            else if (c == '(')
                open = i;
            else if (c is '[' or '{' or '}')
                break;
            else if (c == ',' && depth == 0)
                commas++;
            else if (c == ':' && depth == 0 && commas == 0 && argumentName is null)
                argumentName = WordBefore(text, i);
        }
        bool insideBraces = IsInsideBraces(text, wordStart);
        if (open < 0)
            return new CallContext(null, 0, null, false, insideBraces, prefix);

        string? callee = WordBefore(text, open, allowSpace: false);
        int before = wordStart - 1;
        while (before > open && char.IsWhiteSpace(text[before]))
            before--;
        bool atName = before == open || text[before] == ',';
        return new CallContext(callee, commas, argumentName, atName, insideBraces, prefix);
    }

    private static int WordStart(string text, int offset)
    {
        while (offset > 0 && (char.IsLetterOrDigit(text[offset - 1]) || text[offset - 1] == '_'))
            offset--;
        return offset;
    }

    private static string? WordBefore(string text, int end, bool allowSpace = true)
    {
        while (allowSpace && end > 0 && text[end - 1] == ' ')
            end--;
        int start = WordStart(text, end);
        return start < end ? text[start..end] : null;
    }

    private static bool IsInsideBraces(string text, int offset)
    {
        int depth = 0;
        for (int i = 0; i < offset; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}')
                depth = Math.Max(0, depth - 1);
        }
        return depth > 0;
    }
}
