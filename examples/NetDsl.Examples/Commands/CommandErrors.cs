using NetDsl.Examples.Training;
using NetDsl.Runtime;
using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>
/// How every command reports a problem: one <c>error: ...</c> line that names the file, says what is wrong and
/// what to do, and an exit code — 1 for bad input (a file, a setting that cannot work), 2 for a usage error
/// (options that contradict each other; System.CommandLine's own parse errors also give 2). Never a stack trace.
/// </summary>
public static class CommandErrors
{
    public const int ExitCode = 1;

    public const int UsageExitCode = 2;

    public static int Report(IAnsiConsole console, string message, int exitCode = ExitCode)
    {
        // Straight to the writer: Spectre would fold a long line at the terminal's width, and paths are long.
        var prefix = console.Profile.Capabilities.Ansi ? "\u001b[31merror:\u001b[0m" : "error:";
        console.Profile.Out.Writer.WriteLine($"{prefix} {message}");
        return exitCode;
    }

    /// <summary>
    /// Null when <paramref name="model"/> gives one output; otherwise the line <paramref name="command"/> (train, eval,
    /// predict: commands for one-output classifiers) refuses it with: "ResNet18FPN gives 4 outputs (p2, p3, p4, p5), and
    /// `train` takes a network with one output; `export` writes it as ONNX or as weights".
    /// </summary>
    public static string? SeveralOutputs(ModelEntry model, string command) => model.HasSeveralOutputs
        ? $"{model.Name} gives {model.Figures.Outputs.Count} outputs ({string.Join(", ", model.Figures.Outputs)}), and `{command}` takes " +
          $"a network with one output; `export --model {model.Name}` writes it as ONNX or as weights"
        : null;

    /// <summary>A usage error: the arguments contradict each other or lack a choice; exit code 2.</summary>
    public static int Usage(IAnsiConsole console, string message) => Report(console, message, UsageExitCode);

    /// <summary>
    /// Runs a command's action, turning every problem with the user's files or arguments into its one line:
    /// <see cref="CommandException"/>, <see cref="CheckpointException"/>, <see cref="TrainingDivergedException"/>,
    /// and the errors of files the user named (missing, unreadable, damaged, unwritable).
    /// </summary>
    public static int Guard(IAnsiConsole console, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CommandException e)
        {
            return Report(console, e.Message, e.ExitCode);
        }
        catch (Exception e) when (e is CheckpointException or TrainingDivergedException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Report(console, e.Message);
        }
    }
}

/// <summary>A problem a command reports as its one error line (see <see cref="CommandErrors"/>), with its exit code.</summary>
public sealed class CommandException(string message, int exitCode = CommandErrors.ExitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
