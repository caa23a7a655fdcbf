using System.CommandLine;
using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>
/// The program's commands (one class each under Commands/). Without a command it shows the zoo, trains
/// MultiPathNet_Digits on the digits with the default settings, then exports it to ONNX and evaluates that file
/// with ONNX Runtime beside TorchSharp.
/// </summary>
public static class ExamplesCommandLine
{
    /// <summary>Runs the program with <paramref name="args"/>; tests call this in-process with a console that writes to a string.</summary>
    /// <param name="error">Where parse errors go (help goes to the console's writer).</param>
    /// <param name="cancellation">Cancelled by Ctrl+C: training stops after the current batch.</param>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellation = default)
    {
        var root = new RootCommand("NetDsl examples: the model zoo, built from examples/models/*.nn, and training on real digits.")
        {
            ZooCommand.Create(console),
            TrainCommand.Create(console, cancellation),
            EvalCommand.Create(console),
            SummaryCommand.Create(console),
            PredictCommand.Create(console),
            ExportCommand.Create(console),
        };
        root.SetAction(_ => ZooThenTrain(console, cancellation));
        var parsed = root.Parse(args);
        var exitCode = parsed.Invoke(new InvocationConfiguration
        {
            Output = console.Profile.Out.Writer,
            Error = error,
            // Ctrl+C is the caller's: it cancels the token, and training stops after its batch however long that takes.
            ProcessTerminationTimeout = null,
        });
        // A command line that does not parse is a usage error (System.CommandLine reports it with 1).
        return parsed.Errors.Count > 0 ? CommandErrors.UsageExitCode : exitCode;
    }

    private static int ZooThenTrain(IAnsiConsole console, CancellationToken cancellation)
    {
        var zoo = ZooCommand.Run(console);
        console.Write(new Rule($"training {TrainingDefaults.Model} on the digits").LeftJustified());
        // The demo trains afresh each time, replacing its own earlier checkpoint, and says so.
        var request = new TrainingRequest(TrainingDefaults.Model, Overwrite: true);
        if (File.Exists(request.CheckpointPath))
            console.MarkupLine(Markup.Escape($"replacing {request.CheckpointPath} (to continue it instead: train --model {request.Model} --resume --epochs N)"));
        var training = new TrainingSession(console).Run(request, cancellation);
        if (training != 0 || cancellation.IsCancellationRequested)
            return Math.Max(zoo, training);
        console.Write(new Rule($"{TrainingDefaults.Model} in ONNX Runtime").LeftJustified());
        return Math.Max(zoo, Onnx.OnnxDigitsCheck.Run(console, request));
    }
}
