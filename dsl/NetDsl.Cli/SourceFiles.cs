using System.CommandLine;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Cli;

/// <summary>
/// The <c>.nn</c> files named on the command line: files as given, directories searched recursively. Only
/// regular files are read, each at most <see cref="DiagnosticCatalog.MaxSourceBytes"/>; a directory reached twice
/// (through a symbolic link, e.g. one that loops back to its parent) is searched once, and a file named twice is read once.
/// </summary>
/// <param name="Problems">One compiler-style error line per path that could not be read.</param>
internal sealed record SourceFiles(IReadOnlyList<SourceText> Sources, IReadOnlyList<string> Problems)
{
    /// <summary>The <c>FILE...</c> argument every command takes.</summary>
    public static Argument<string[]> CreateArgument() => new("files")
    {
        Description = ".nn files or directories (all .nn files inside, recursively); a .nn file may have at most 1 MiB",
        Arity = ArgumentArity.OneOrMore,
    };

    public static SourceFiles Load(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var problems = new List<string>();
        var visitedDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            switch (FileKind.Of(path))
            {
                case null:
                    problems.Add($"{path}: error: no such file or directory");
                    break;
                case FileKind.Folder:
                    var found = new List<string>();
                    Search(path, found, problems, visitedDirectories);
                    files.AddRange(found.Order(StringComparer.Ordinal));
                    break;
                case FileKind.RegularFile:
                    files.Add(path);
                    break;
                case var other:
                    problems.Add(Error(path, DiagnosticCatalog.NotARegularFile, other));
                    break;
            }
        }

        var sources = new List<SourceText>();
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            if (!read.Add(FileKind.RealPath(file)))
                continue;
            if (Read(file, out string? problem) is { } source)
                sources.Add(source);
            else
                problems.Add(problem!);
        }
        return new SourceFiles(sources, problems);
    }

    /// <summary>Collects the .nn files under <paramref name="directory"/>, entering each real directory once.</summary>
    private static void Search(string directory, List<string> found, List<string> problems, HashSet<string> visited)
    {
        if (!visited.Add(FileKind.RealPath(directory)))
            return;
        try
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
            {
                string? kind = FileKind.Of(entry);
                if (kind == FileKind.Folder)
                    Search(entry, found, problems, visited);
                else if (entry.EndsWith(".nn", StringComparison.Ordinal))
                {
                    if (kind == FileKind.RegularFile)
                        found.Add(entry);
                    else if (kind is not null) // a dangling link is skipped like any non-source file
                        problems.Add(Error(entry, DiagnosticCatalog.NotARegularFile, kind));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(Error(directory, DiagnosticCatalog.SourceUnreadable, e.Message));
        }
    }

    /// <summary>Reads at most the size limit (plus one byte, to tell a file that is too long); null and why on failure.</summary>
    private static SourceText? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[DiagnosticCatalog.MaxSourceBytes + 1];
            int length = 0;
            for (int count; length < buffer.Length && (count = stream.Read(buffer, length, buffer.Length - length)) > 0;)
                length += count;
            if (length > DiagnosticCatalog.MaxSourceBytes)
            {
                problem = Error(path, DiagnosticCatalog.SourceTooLarge, length, DiagnosticCatalog.MaxSourceBytes);
                return null;
            }
            using var reader = new StreamReader(new MemoryStream(buffer, 0, length), detectEncodingFromByteOrderMarks: true);
            return new SourceText(path, reader.ReadToEnd());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = Error(path, DiagnosticCatalog.SourceUnreadable, e.Message);
            return null;
        }
    }

    private static string Error(string path, DiagnosticDescriptor descriptor, params object[] arguments) =>
        $"{path}: error {descriptor.Code}: {descriptor.Format(arguments)}";
}
