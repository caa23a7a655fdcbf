using System.CommandLine;
using NetDsl.Checking;
using NetDsl.Diagnostics;
using NetDsl.Parsing;

namespace NetDsl.Cli.Commands;

/// <summary><c>netdsl check FILE...</c>: parses and checks the files together and reports every diagnostic, compiler style.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output)
    {
        var files = SourceFiles.CreateArgument();
        var command = new Command("check", "Check .nn files and print every error and warning.") { files };
        command.SetAction(parseResult => Run(parseResult.GetValue(files) ?? Array.Empty<string>(), output));
        return command;
    }

    /// <summary>Prints <c>path(line,col): error NN0123: message</c> lines and a summary; 1 if any error, else 0.</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter output)
    {
        var files = SourceFiles.Load(paths);
        foreach (string problem in files.Problems)
            output.WriteLine(problem);
        if (files.Sources.Count == 0 && files.Problems.Count == 0)
        {
            output.WriteLine("error: no .nn files found");
            return 1;
        }

        var parsed = files.Sources.Select(Parser.Parse).ToList();
        // Declarations dropped for syntax errors are absent from the trees; the rest is still checked in full.
        var checkedTrees = Checker.Check(parsed.Select(result => result.Tree));
        var diagnostics = parsed.SelectMany(result => result.Diagnostics)
            .Concat(checkedTrees.Diagnostics)
            .OrderBy(d => OrderOf(files, d.Location.Path))
            .ThenBy(d => d.Location.Span.Start)
            .ToList();
        foreach (var diagnostic in diagnostics)
            output.WriteLine(diagnostic.ToString());

        int errors = diagnostics.Count(d => d.IsError) + files.Problems.Count;
        int warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        output.WriteLine($"checked {Plural(files.Sources.Count, "file")}: {Plural(errors, "error")}, {Plural(warnings, "warning")}");
        return errors > 0 ? 1 : 0;
    }

    private static int OrderOf(SourceFiles files, string path)
    {
        for (int i = 0; i < files.Sources.Count; i++)
        {
            if (files.Sources[i].Path == path)
                return i;
        }
        return files.Sources.Count;
    }

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
