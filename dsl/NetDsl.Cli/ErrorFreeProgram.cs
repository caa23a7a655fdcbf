using NetDsl.Checking;
using NetDsl.Parsing;

namespace NetDsl.Cli;

/// <summary>Loading, parsing and checking for the commands that need a program without errors (summary, graph).</summary>
internal static class ErrorFreeProgram
{
    /// <returns>The check result, or null after printing why there is none: files missing or unreadable, no .nn files, or errors.</returns>
    public static CheckResult? Check(IReadOnlyList<string> paths, TextWriter output)
    {
        var files = SourceFiles.Load(paths);
        foreach (string problem in files.Problems)
            output.WriteLine(problem);
        var parsed = files.Sources.Select(Parser.Parse).ToList();
        var result = Checker.Check(parsed.Select(p => p.Tree));
        var errors = parsed.SelectMany(p => p.Diagnostics).Concat(result.Diagnostics).Where(d => d.IsError).ToList();
        if (errors.Count == 0 && files.Problems.Count == 0 && files.Sources.Count > 0)
            return result;
        foreach (var diagnostic in errors)
            output.WriteLine(diagnostic.ToString());
        if (files.Sources.Count == 0 && files.Problems.Count == 0)
            output.WriteLine("error: no .nn files found");
        return null;
    }
}
