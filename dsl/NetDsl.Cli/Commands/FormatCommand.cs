using System.CommandLine;
using NetDsl.Formatting;
using NetDsl.IO;

namespace NetDsl.Cli.Commands;

/// <summary>
/// <c>netdsl format FILE... [--check]</c>: rewrites each file in the canonical layout (the formatter the
/// language server uses), or with <c>--check</c> only lists the files that are not formatted, for CI.
/// </summary>
internal static class FormatCommand
{
    public static Command Create(TextWriter output)
    {
        var files = SourceFiles.CreateArgument();
        var check = new Option<bool>("--check") { Description = "change nothing; list unformatted files and exit 1 if there are any" };
        var command = new Command("format", "Format .nn files in place (canonical indentation and spacing, comments kept).") { files, check };
        command.SetAction(parseResult => Run(parseResult.GetValue(files) ?? Array.Empty<string>(), parseResult.GetValue(check), output));
        return command;
    }

    /// <returns>0 when every file is (now) formatted; 1 for unreadable files, syntax errors, or unformatted files under --check.</returns>
    public static int Run(IReadOnlyList<string> paths, bool check, TextWriter output)
    {
        var files = SourceFiles.Load(paths);
        foreach (string problem in files.Problems)
            output.WriteLine(problem);
        if (files.Sources.Count == 0 && files.Problems.Count == 0)
        {
            output.WriteLine("error: no .nn files found");
            return 1;
        }

        int failed = files.Problems.Count, changed = 0;
        foreach (var source in files.Sources)
        {
            var result = Formatter.Format(source);
            if (result.Text is null)
            {
                // Text that does not parse has no meaning to keep: it is left alone, with the reason.
                foreach (var diagnostic in result.SyntaxErrors)
                    output.WriteLine(diagnostic.ToString());
                failed++;
                continue;
            }
            if (result.Text == source.Text)
                continue;
            changed++;
            if (check)
            {
                output.WriteLine($"{source.Path}: not formatted");
            }
            else
            {
                AtomicFile.WriteAllText(source.Path, result.Text);
                output.WriteLine($"{source.Path}: formatted");
            }
        }
        string verb = check ? "would change" : "changed";
        output.WriteLine($"{files.Sources.Count} file{(files.Sources.Count == 1 ? "" : "s")} checked, {changed} {verb}, {failed} with errors");
        return failed > 0 || (check && changed > 0) ? 1 : 0;
    }
}
