using NetDsl.Examples.Commands;
using NetDsl.Onnx;
using NetDsl.Runtime;
using static TorchSharp.torch;

namespace NetDsl.Examples.Onnx;

/// <summary>The <c>.onnx</c> row of <c>export</c>: NetDsl.Onnx's exporter, written atomically.</summary>
public sealed class OnnxExportFormat : IExportFormat
{
    public string Description => $"ONNX model, opset {OnnxExporter.Opset}";

    public string Write(nn.Module<Tensor, Tensor> module, ModelEntry model, string path)
    {
        try
        {
            var summary = OnnxExporter.ExportFile(module, path, new OnnxExportOptions(NetworkName: model.Name, InputShape: model.Figures.Input));
            return $"wrote {path}: {summary}";
        }
        catch (Exception error) when (error is OnnxExportException or IOException or UnauthorizedAccessException)
        {
            throw new ExportFailedException(error.Message, error);
        }
    }
}
