using System.CommandLine;
using NetDsl.Examples.Zoo;
using NetDsl.IO;
using NetDsl.Onnx;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>
/// <c>export --model NAME [--checkpoint FILE] --output OUT.pt|OUT.safetensors|OUT.onnx</c>: a zoo model's weights (trained,
/// or freshly initialised from --seed) for PyTorch, as safetensors, or as an ONNX model with its graph, the format chosen by the extension
/// (<see cref="ModelExporters"/>). Any zoo model is exported, detection and segmentation networks too: one with several
/// outputs (ResNet18FPN's p2 … p5) becomes an ONNX model with one output per output, named as in its .nn file. The file
/// is written atomically.
/// </summary>
public static class ExportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommandOptions.Model();
        var checkpoint = new Option<string?>("--checkpoint", "-c") { Description = $"weights to export: {WeightFiles.Accepted} [default: freshly initialised]" };
        var output = new Option<string>("--output", "-o") { Description = $"the file to write; its extension picks the format ({ModelExporters.ExtensionList})", Required = true };
        var seed = new Option<int>("--seed") { Description = "seeds the initial weights when there is no --checkpoint", DefaultValueFactory = _ => TrainingDefaults.Seed };
        var showMap = WeightFiles.ShowMapOption();
        var command = new Command("export", "Write a zoo model's weights for PyTorch (.pt), as safetensors, or as an ONNX model (.onnx).") { model, checkpoint, output, seed, showMap };
        command.SetAction(parseResult => Run(console, parseResult.GetValue(model)!, parseResult.GetValue(checkpoint),
            parseResult.GetValue(output)!, parseResult.GetValue(seed), parseResult.GetValue(showMap)));
        return command;
    }

    public static int Run(IAnsiConsole console, string modelName, string? checkpointPath, string outputPath, int seed = TrainingDefaults.Seed,
        bool showMap = false, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(modelName) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(modelName));
        if (ModelExporters.For(outputPath) is not { } exporter)
            return CommandErrors.Report(console, $"cannot export to {outputPath}: the extension picks the format, one of {ModelExporters.ExtensionList}");
        try
        {
            AtomicFile.EnsureWritable(outputPath);
        }
        catch (IOException e)
        {
            return CommandErrors.Report(console, $"cannot write {outputPath}: {e.Message}");
        }

        using var scope = NewDisposeScope();
        random.manual_seed(seed);
        // Build, not Create: a detection network with several outputs is exported too (ONNX: one graph output per output).
        using var module = model.Build();
        var source = $"{model.Name} initialised from seed {seed}";
        if (checkpointPath is not null)
        {
            var (weights, refusal) = WeightFiles.Load(module, model, checkpointPath, showMap ? console : null);
            if (refusal is not null)
                return CommandErrors.Report(console, $"cannot export: {refusal}");
            source = $"{model.Name} from {weights!.Description}";
        }
        try
        {
            AtomicFile.Write(outputPath, stream => exporter.Write(model, module, stream));
        }
        catch (IOException e)
        {
            return CommandErrors.Report(console, $"cannot write {outputPath}: {e.Message}");
        }
        catch (OnnxExportException e)
        {
            return CommandErrors.Report(console, $"cannot export {model.Name} to ONNX: {e.Message}");
        }
        console.MarkupLine(Markup.Escape($"wrote {outputPath} ({exporter.Description}): {source}"));
        return 0;
    }
}
