using System.Diagnostics;
using System.Runtime.InteropServices;
using NetDsl.IO;

namespace NetDsl.Cli.Commands;

/// <summary>Runs Graphviz's <c>dot</c> on DOT text to make an SVG.</summary>
internal sealed class GraphvizRenderer(string dotPath)
{
    /// <summary>Large networks lay out in a few seconds; a minute means dot is stuck.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string DotPath { get; } = dotPath;

    /// <summary>The <c>dot</c> executable on PATH, or null when Graphviz is not installed.</summary>
    public static GraphvizRenderer? FromPath()
    {
        string name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dot.exe" : "dot";
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory.Trim('"'), name);
            if (File.Exists(candidate))
                return new GraphvizRenderer(candidate);
        }
        return null;
    }

    /// <summary>
    /// Writes the SVG of <paramref name="dot"/> to <paramref name="svgPath"/>, atomically (dot writes to a pipe, and
    /// only a complete drawing replaces the file); null on success, else why it failed, the file untouched.
    /// </summary>
    public string? RenderSvg(string dot, string svgPath)
    {
        var start = new ProcessStartInfo(DotPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-Tsvg");

        using var process = Process.Start(start);
        if (process is null)
            return $"could not start {DotPath}";
        // Read both streams while dot runs, so a full pipe cannot stall it.
        var errors = process.StandardError.ReadToEndAsync();
        var svg = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(dot);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            return $"{DotPath} did not finish within {Timeout.TotalSeconds:0} seconds";
        }
        process.WaitForExit();
        string message = errors.Result.Trim();
        if (process.ExitCode != 0)
            return $"{DotPath} failed (exit code {process.ExitCode}){(message.Length > 0 ? ": " + message : "")}";
        try
        {
            AtomicFile.WriteAllText(svgPath, svg.Result);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write {svgPath}: {e.Message}";
        }
    }
}
