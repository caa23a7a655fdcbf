namespace NetDsl.LanguageServer;

/// <summary>Turns the client's document URIs into the paths the language library reports, and back.</summary>
internal static class DocumentPaths
{
    /// <summary>The local path of a <c>file:</c> URI (null for other schemes or malformed URIs).</summary>
    public static string? ToPath(string? uri)
    {
        if (string.IsNullOrEmpty(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            return null;
        try
        {
            return Path.GetFullPath(parsed.LocalPath);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    public static string ToUri(string path) => new Uri(path).AbsoluteUri;

    /// <summary>Only <c>.nn</c> files are the server's; requests about anything else get empty answers.</summary>
    public static bool IsNetDsl(string? path) => path is not null && path.EndsWith(".nn", StringComparison.OrdinalIgnoreCase);
}
