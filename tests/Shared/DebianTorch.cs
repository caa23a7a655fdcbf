using System.Diagnostics;

namespace NetDsl.Tests.Shared;

/// <summary>
/// Debian's python3 with torch 1.13 and torchvision 0.14 (<c>apt-get install python3-torch python3-torchvision</c>;
/// <c>.ci/run</c> installs them). Tests that need PyTorch fail, never skip, when it is missing. Set
/// <c>NETDSL_PYTHON</c> to use another interpreter.
/// </summary>
internal static class DebianTorch
{
    public static string Python => Environment.GetEnvironmentVariable("NETDSL_PYTHON") is { Length: > 0 } python ? python : "/usr/bin/python3";

    /// <summary>The repository root: the first directory above the test binaries that holds Dsl.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>tools/reference, where the torchvision scripts live.</summary>
    public static string ReferenceTools => Path.Combine(RepositoryRoot, "tools", "reference");

    /// <summary>Runs <c>python3 -c <paramref name="code"/></c> with <paramref name="args"/> in <c>sys.argv[1:]</c>.</summary>
    public static string RunCode(string code, params string[] args) => Run(["-c", code, .. args]);

    /// <summary>Runs a script of tools/reference with <paramref name="args"/>; returns its standard output.</summary>
    public static string RunTool(string script, params string[] args) => Run([Path.Combine(ReferenceTools, script), .. args]);

    /// <summary>Runs the script at <paramref name="path"/> (relative to the repository root) with <paramref name="args"/>.</summary>
    public static string RunScript(string path, params string[] args) => Run([Path.Combine(RepositoryRoot, path), .. args]);

    private static string Run(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ReferenceTools,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["OMP_NUM_THREADS"] = "1"; // the machine's cores are shared with the test host
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Python} is missing ({e.Message}): apt-get install python3-torch python3-torchvision", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Python} {string.Join(' ', args)} did not finish in 20 minutes");
            }
            if (process.ExitCode != 0)
            {
                var hint = error.Result.Contains("No module named 'torch", StringComparison.Ordinal)
                    ? " (PyTorch is missing: apt-get install python3-torch python3-torchvision)"
                    : "";
                throw new InvalidOperationException($"{Python} exited with {process.ExitCode}{hint}:\n{error.Result}");
            }
            return output.Result;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"no Dsl.sln above {AppContext.BaseDirectory}");
    }
}
