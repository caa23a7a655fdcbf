using System.CommandLine;
using NetDsl.Examples.Zoo;
using NetDsl.IO;
using NetDsl.Runtime.Interop;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>
/// <c>predict --model NAME --checkpoint FILE --input X.npy --output Y.npy</c>: the model's eval-mode outputs for a
/// NumPy batch (float32, N x C x H x W, checked against the model's input), written atomically as float32 .npy.
/// </summary>
public static class PredictCommand
{
    /// <summary>Samples per forward pass: bounds the memory a large input needs.</summary>
    private const int ChunkSize = 64;

    public static Command Create(IAnsiConsole console)
    {
        var model = CommandOptions.Model();
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = $"the weights: {WeightFiles.Accepted}", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "a float32 .npy array of shape N x C x H x W (numpy.save)", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "where to write the outputs, a float32 .npy array (numpy.load)", Required = true };
        var showMap = WeightFiles.ShowMapOption();
        var command = new Command("predict", "Run a zoo model in eval mode on a NumPy array and write its outputs as .npy.") { model, checkpoint, input, output, showMap };
        command.SetAction(parseResult => Run(console, parseResult.GetValue(model)!, parseResult.GetValue(checkpoint)!,
            parseResult.GetValue(input)!, parseResult.GetValue(output)!, parseResult.GetValue(showMap)));
        return command;
    }

    public static int Run(IAnsiConsole console, string modelName, string checkpointPath, string inputPath, string outputPath,
        bool showMap = false, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(modelName) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(modelName));
        if (CommandErrors.SeveralOutputs(model, "predict") is { } severalOutputs)
            return CommandErrors.Report(console, severalOutputs);
        if (!File.Exists(inputPath))
            return CommandErrors.Report(console, $"no input at {inputPath}");
        try
        {
            AtomicFile.EnsureWritable(outputPath);
        }
        catch (IOException e)
        {
            return CommandErrors.Report(console, $"cannot write {outputPath}: {e.Message}");
        }

        using var scope = NewDisposeScope();
        Tensor batch;
        try
        {
            using var stream = File.OpenRead(inputPath);
            batch = NpyFile.Read(stream, Path.GetFileName(inputPath));
        }
        catch (Exception e) when (e is InteropFormatException or IOException or UnauthorizedAccessException)
        {
            return CommandErrors.Report(console, $"cannot read the input: {e.Message}");
        }
        var expected = model.Figures.Input;
        if (batch.dim() != 4 || batch.shape[1] != expected.Channels || batch.shape[2] != expected.Height || batch.shape[3] != expected.Width || batch.shape[0] == 0)
            return CommandErrors.Report(console,
                $"{Path.GetFileName(inputPath)} has shape ({string.Join(", ", batch.shape)}), but {model.Name} takes N x {expected.Channels} x {expected.Height} x {expected.Width} with N >= 1");

        using var module = model.Create();
        var (weights, refusal) = WeightFiles.Load(module, model, checkpointPath, showMap ? console : null);
        if (refusal is not null)
            return CommandErrors.Report(console, $"cannot predict: {refusal}");

        module.eval();
        Tensor outputs;
        using (no_grad())
            outputs = cat(batch.split(ChunkSize).Select(chunk => module.call(chunk)).ToList(), 0);
        try
        {
            AtomicFile.Write(outputPath, stream => NpyFile.Write(outputs, stream));
        }
        catch (IOException e)
        {
            return CommandErrors.Report(console, $"cannot write {outputPath}: {e.Message}");
        }
        console.MarkupLine(Markup.Escape($"wrote {outputPath}: outputs ({string.Join(", ", outputs.shape)}) of {model.Name} with {weights!.Description}"));
        return 0;
    }
}
