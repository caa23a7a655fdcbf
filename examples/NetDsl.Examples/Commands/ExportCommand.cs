using System.CommandLine;
using NetDsl.Examples.Zoo;
using NetDsl.Runtime;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>A file format <c>export</c> writes, chosen by the output's extension (<see cref="ExportCommand.Formats"/>).</summary>
public interface IExportFormat
{
    /// <summary>What the format is, for help and messages, e.g. "ONNX model (opset 17)".</summary>
    string Description { get; }

    /// <summary>Writes <paramref name="module"/> (already holding the weights to export) to <paramref name="path"/>, atomically.</summary>
    /// <returns>One line saying what was written.</returns>
    /// <exception cref="ExportFailedException">The module or the file cannot be written; the message says why.</exception>
    string Write(nn.Module<Tensor, Tensor> module, ModelEntry model, string path);
}

/// <summary>An export that cannot be done, with the one line to show.</summary>
public sealed class ExportFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// <c>export --model NAME [--checkpoint FILE] --output FILE</c>: writes a zoo model, with the weights of a checkpoint
/// written by <c>train</c> (or its initial weights), in the format of the output's extension.
/// </summary>
public static class ExportCommand
{
    /// <summary>The formats by extension: a new format is a new row.</summary>
    public static IReadOnlyDictionary<string, IExportFormat> Formats { get; } = new Dictionary<string, IExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        [".onnx"] = new Onnx.OnnxExportFormat(),
    };

    public static Command Create(IAnsiConsole console)
    {
        var model = CommandOptions.Model();
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = "weights written by `train` (runs/<model>/<model>.weights); without it, the model's initial weights",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = $"the file to write; its extension picks the format: {string.Join(", ", Formats.Select(f => $"{f.Key} ({f.Value.Description})"))}",
            Required = true,
        };
        var command = new Command("export", "Write a zoo model with its weights for other runtimes (the format follows the output's extension).") { model, checkpoint, output };
        command.SetAction(parseResult => Run(console, parseResult.GetValue(model)!, parseResult.GetValue(checkpoint), parseResult.GetValue(output)!));
        return command;
    }

    /// <returns>0 when the file was written; 1, with one error line and no file written, otherwise.</returns>
    public static int Run(IAnsiConsole console, string modelName, string? checkpointPath, string outputPath, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(modelName) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(modelName));
        var extension = Path.GetExtension(outputPath);
        if (!Formats.TryGetValue(extension, out var format))
            return CommandErrors.Report(console, $"cannot export to '{outputPath}': the extension must be one of {string.Join(", ", Formats.Keys)}");
        try
        {
            NetDsl.IO.AtomicFile.EnsureWritable(outputPath);
        }
        catch (IOException error)
        {
            return CommandErrors.Report(console, $"cannot write {outputPath}: {error.Message}");
        }

        using var scope = NewDisposeScope();
        using var module = model.Create();
        if (checkpointPath is not null)
        {
            var (_, refusal) = CheckpointGuard.Load(module, model, checkpointPath);
            if (refusal is not null)
                return CommandErrors.Report(console, $"cannot export: {OneLine(refusal)}");
        }
        try
        {
            var written = format.Write(module, model, outputPath);
            var weights = checkpointPath is null ? "initial weights" : $"weights of {checkpointPath}";
            console.MarkupLine(Markup.Escape($"{written} ({weights})"));
            return 0;
        }
        catch (ExportFailedException error)
        {
            return CommandErrors.Report(console, $"cannot export {model.Name}: {error.Message}");
        }
    }

    /// <summary>A refusal that lists every differing key (one per line) as its first line and the number of differences.</summary>
    public static string OneLine(string refusal)
    {
        var lines = refusal.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? refusal.Trim() : $"{lines[0].TrimEnd(':')} ({lines.Length - 1} differences in keys and shapes)";
    }
}
