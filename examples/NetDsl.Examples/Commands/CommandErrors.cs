using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>How every command reports a problem with its arguments: one "error: ..." line, exit code 1.</summary>
public static class CommandErrors
{
    public const int ExitCode = 1;

    public static int Report(IAnsiConsole console, string message)
    {
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return ExitCode;
    }
}
