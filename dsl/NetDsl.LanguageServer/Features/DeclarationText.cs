using NetDsl.Syntax;

namespace NetDsl.LanguageServer.Features;

/// <summary>How declarations read in hovers and completion: their signature and the comment above them.</summary>
internal static class DeclarationText
{
    public static string Signature(Declaration declaration, SourceText source) => declaration switch
    {
        NetworkDeclaration network => $"network {network.Name.Text}({Parameters(network.Parameters, source)})",
        BlockDeclaration block => $"block {block.Name.Text}({Parameters(block.Parameters, source)})",
        VariantDeclaration variant => $"variant {variant.Name.Text} = {variant.Target.Text}({string.Join(", ", variant.Arguments.Select(a => Flatten(source.ToString(a.Span))))})"
            + (variant.Input is { } input ? $" {{ input {Flatten(source.ToString(input.Span))} }}" : ""),
        _ => declaration.Name.Text,
    };

    public static string Parameters(EquatableArray<Parameter> parameters, SourceText source) =>
        string.Join(", ", parameters.Select(p => Flatten(source.ToString(p.Span))));

    /// <summary>The <c>//</c> comment lines right above a declaration, without the slashes (blank lines end it).</summary>
    public static string? CommentAbove(Declaration declaration, SourceText source)
    {
        int line = source.GetLinePosition(declaration.Span.Start).Line - 1;
        var lines = new List<string>();
        for (; line >= 0; line--)
        {
            int start = source.GetOffset(new LinePosition(line, 0));
            int end = line + 1 < source.LineCount ? source.GetOffset(new LinePosition(line + 1, 0)) : source.Text.Length;
            string text = source.Text.Substring(start, end - start).Trim();
            if (!text.StartsWith("//", StringComparison.Ordinal))
                break;
            lines.Add(text.Substring(2).StartsWith(' ') ? text.Substring(3) : text.Substring(2));
        }
        if (lines.Count == 0)
            return null;
        lines.Reverse();
        return string.Join("\n", lines).Trim('\n');
    }

    /// <summary>Source text on one line: runs of whitespace become one space.</summary>
    public static string Flatten(string text) =>
        string.Join(" ", text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
