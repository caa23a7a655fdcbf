using System.Globalization;
using NetDsl.Examples.Commands;
using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using NetDsl.Onnx;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Onnx;

/// <summary>
/// The main program's last step: the digits model just trained is exported to <c>.onnx</c> beside its checkpoint
/// and evaluated with ONNX Runtime on the held-out digits; its accuracy must equal TorchSharp's.
/// </summary>
public static class OnnxDigitsCheck
{
    /// <returns>0 when both runtimes give the same accuracy, 1 otherwise or when the model cannot be exported.</returns>
    public static int Run(IAnsiConsole console, TrainingRequest request, ModelCatalog? catalog = null)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(request.Model) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(request.Model));
        var onnxPath = Path.ChangeExtension(request.CheckpointPath, ".onnx");

        using var scope = NewDisposeScope();
        using var module = model.Create();
        OnnxExportSummary written;
        try
        {
            Checkpoint.Load(request.CheckpointPath, module, model.Name);
            written = OnnxExporter.ExportFile(module, onnxPath, new OnnxExportOptions(NetworkName: model.Name, InputShape: model.Figures.Input));
        }
        catch (Exception error) when (error is CheckpointException or OnnxExportException or IOException or UnauthorizedAccessException)
        {
            return CommandErrors.Report(console, $"cannot export {model.Name} to ONNX: {error.Message}");
        }
        console.MarkupLine(Markup.Escape($"wrote {onnxPath}: {written}"));

        var digits = DigitsFile.LoadDefault();
        var test = request.Limit is { } limit ? digits.Test.Take(limit) : digits.Test;
        var torchSharp = Evaluator.Evaluate(module, test);
        var onnxRuntime = OnnxRuntimeEvaluator.Evaluate(onnxPath, test);
        console.MarkupLine(Markup.Escape(string.Format(CultureInfo.InvariantCulture,
            "accuracy on {0} held-out digits: TorchSharp {1:F2}%, ONNX Runtime {2:F2}% (mean loss {3:F4} and {4:F4})",
            test.Count, torchSharp.Accuracy * 100, onnxRuntime.Accuracy * 100, torchSharp.MeanLoss, onnxRuntime.MeanLoss)));
        return torchSharp.Confusion.Total == onnxRuntime.Confusion.Total && torchSharp.Accuracy == onnxRuntime.Accuracy
            ? 0
            : CommandErrors.Report(console, $"ONNX Runtime's accuracy differs from TorchSharp's on {onnxPath}");
    }
}
