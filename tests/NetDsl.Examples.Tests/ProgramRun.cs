using NetDsl.Examples.Commands;
using Spectre.Console;

namespace NetDsl.Examples.Tests;

/// <summary>Runs the examples program in-process, capturing what it prints (plain text: no colours, wide lines).</summary>
internal sealed record ProgramRun(int ExitCode, string Output)
{
    public static ProgramRun Of(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250; // a table row per line, as in a wide terminal
        var exitCode = ExamplesCommandLine.Run(args, console, writer);
        return new ProgramRun(exitCode, writer.ToString());
    }

    /// <summary>The lines of a table whose first cell (after the border) is <paramref name="name"/>.</summary>
    public IEnumerable<string[]> TableRowsStartingWith(string name) => Output
        .Split('\n')
        .Select(line => line.Split('│').Select(cell => cell.Trim()).ToArray())
        .Where(cells => cells.Length > 2 && cells[1] == name);
}
