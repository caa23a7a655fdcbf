using System.CommandLine;
using NetDsl.Syntax;

namespace NetDsl.Cli;

/// <summary>The <c>.nn</c> files named on the command line: files as given, directories searched recursively.</summary>
internal sealed record SourceFiles(IReadOnlyList<SourceText> Sources, IReadOnlyList<string> Missing)
{
    /// <summary>The <c>FILE...</c> argument every command takes.</summary>
    public static Argument<string[]> CreateArgument() => new("files")
    {
        Description = ".nn files or directories (all .nn files inside, recursively)",
        Arity = ArgumentArity.OneOrMore,
    };

    public static SourceFiles Load(IEnumerable<string> paths)
    {
        var sources = new List<SourceText>();
        var missing = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.nn", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
                sources.AddRange(files.Select(Read));
            }
            else if (File.Exists(path))
            {
                sources.Add(Read(path));
            }
            else
            {
                missing.Add(path);
            }
        }
        return new SourceFiles(sources, missing);
    }

    private static SourceText Read(string path) => new(path, File.ReadAllText(path));
}
