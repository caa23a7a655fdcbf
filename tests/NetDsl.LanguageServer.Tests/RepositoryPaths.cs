namespace NetDsl.LanguageServer.Tests;

/// <summary>
/// Files of the repository the tests read (docs, the zoo, the invalid-file suite). Found from the test binaries,
/// not from [CallerFilePath]: CI builds are deterministic and map source paths to "/_/".
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The first directory above the test binaries that holds Dsl.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"no Dsl.sln above {AppContext.BaseDirectory}");
    }
}
