using NetDsl.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer;

/// <summary>
/// The <c>.nn</c> files of the workspace folders, treated as one program as the build treats them, with the
/// editor's unsaved buffers taking the place of the files on disk. Thread-safe: the RPC handlers change it,
/// the diagnostics loop and requests read analyses of it.
/// </summary>
internal sealed class Workspace
{
    /// <summary>Folders never searched for <c>.nn</c> files: build output and tool caches.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", ".git", ".vs", ".vscode" };

    private readonly object gate = new();
    private readonly object analyzing = new();
    private readonly Dictionary<string, OpenDocument> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> onDisk = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ParseResult> parses = new(StringComparer.Ordinal);
    private long version;
    private Analysis? latest;

    private sealed record OpenDocument(string Uri, int Version, string Text);

    /// <summary>Bumped by every change; an analysis of an older version is stale.</summary>
    public long Version
    {
        get
        {
            lock (gate)
                return version;
        }
    }

    /// <summary>Reads every <c>.nn</c> file under the folders (unreadable files and folders are skipped).</summary>
    public void AddFolders(IEnumerable<string> folders)
    {
        foreach (string folder in folders)
        {
            foreach (string file in EnumerateSources(folder))
                ReloadFromDisk(file);
        }
    }

    public void Open(string path, string uri, int documentVersion, string text)
    {
        lock (gate)
        {
            open[path] = new OpenDocument(uri, documentVersion, text);
            version++;
        }
    }

    /// <summary>Applies a didChange; false if the document is not open (the change is then ignored).</summary>
    public bool Change(string path, int documentVersion, IEnumerable<Protocol.TextDocumentContentChangeEvent> changes)
    {
        lock (gate)
        {
            if (!open.TryGetValue(path, out var document))
                return false;
            string text = document.Text;
            foreach (var change in changes)
                text = TextPositions.Apply(text, change);
            open[path] = document with { Version = documentVersion, Text = text };
            version++;
            return true;
        }
    }

    /// <summary>Closing a buffer falls back to the file on disk (if it still exists).</summary>
    public void Close(string path)
    {
        lock (gate)
        {
            open.Remove(path);
            version++;
        }
        ReloadFromDisk(path);
    }

    /// <summary>Re-reads a file after it changed on disk; a deleted or unreadable file leaves the program.</summary>
    public void ReloadFromDisk(string path)
    {
        string? text;
        try
        {
            text = File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            text = null;
        }
        lock (gate)
        {
            if (text is null)
                onDisk.Remove(path);
            else
                onDisk[path] = text;
            version++;
        }
    }

    public bool IsOpen(string path)
    {
        lock (gate)
            return open.ContainsKey(path);
    }

    /// <summary>
    /// The analysis of the current state: the cached one if nothing changed since, else a new one. One analysis
    /// runs at a time, so a request and the diagnostics round asking at once share the work.
    /// </summary>
    public Analysis Analyze(CancellationToken cancellation = default)
    {
        lock (analyzing)
            return AnalyzeNow(cancellation);
    }

    private Analysis AnalyzeNow(CancellationToken cancellation)
    {
        long analyzedVersion;
        List<(string Path, string Uri, int? Version, string Text)> files;
        lock (gate)
        {
            if (latest is not null && latest.Version == version)
                return latest;
            analyzedVersion = version;
            files = onDisk.Keys.Union(open.Keys)
                .Order(StringComparer.Ordinal)
                .Select(path => open.TryGetValue(path, out var document)
                    ? (path, document.Uri, (int?)document.Version, document.Text)
                    : (path, DocumentPaths.ToUri(path), (int?)null, onDisk[path]))
                .ToList();
        }

        var documents = new List<AnalyzedDocument>(files.Count);
        foreach (var (path, uri, documentVersion, text) in files)
        {
            cancellation.ThrowIfCancellationRequested();
            documents.Add(new AnalyzedDocument(path, uri, documentVersion, new SourceText(path, text), Parse(path, text)));
        }
        cancellation.ThrowIfCancellationRequested();
        var check = Checker.Check(documents.Select(d => d.Parse.Tree));
        var analysis = new Analysis(analyzedVersion, documents, check);
        lock (gate)
        {
            if (latest is null || latest.Version < analysis.Version)
                latest = analysis;
        }
        return analysis;
    }

    /// <summary>A file's parse, reused while its text is unchanged (the checker needs every tree, edits touch one).</summary>
    private ParseResult Parse(string path, string text)
    {
        lock (gate)
        {
            if (parses.TryGetValue(path, out var cached) && cached.Tree.Source.Text == text)
                return cached;
        }
        var parsed = Parser.Parse(new SourceText(path, text));
        lock (gate)
            parses[path] = parsed;
        return parsed;
    }

    private static IEnumerable<string> EnumerateSources(string folder)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            string[] files, directories;
            try
            {
                files = Directory.GetFiles(directory, "*.nn");
                directories = Directory.GetDirectories(directory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (string file in files.Order(StringComparer.Ordinal))
                yield return Path.GetFullPath(file);
            foreach (string child in directories)
            {
                if (!SkippedFolders.Contains(Path.GetFileName(child)))
                    pending.Push(child);
            }
        }
    }
}
