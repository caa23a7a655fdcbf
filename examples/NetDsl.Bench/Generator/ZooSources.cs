using NetDsl.Syntax;

namespace NetDsl.Bench.Generator;

/// <summary>The model zoo's <c>.nn</c> files (examples/models, copied next to the program under <c>zoo/</c>).</summary>
public static class ZooSources
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "zoo");

    public static IReadOnlyList<SourceText> Load()
    {
        var files = System.IO.Directory.GetFiles(Directory, "*.nn").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"no .nn files in {Directory}; the build copies examples/models/*.nn there");
        return files.Select(path => new SourceText(path, File.ReadAllText(path))).ToArray();
    }
}
