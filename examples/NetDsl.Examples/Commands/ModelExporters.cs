using NetDsl.Onnx;
using NetDsl.Runtime;
using NetDsl.Runtime.Interop;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>One output format of <c>export</c>, chosen by the output file's extension.</summary>
/// <param name="Extensions">Lower-case extensions with the dot, e.g. ".pt".</param>
/// <param name="Description">For help and messages, e.g. "PyTorch state dict (torch.load)".</param>
/// <param name="Write">Writes the model (entry and built module with its weights) to the stream.</param>
public sealed record ModelExporter(IReadOnlyList<string> Extensions, string Description, Action<ModelEntry, nn.Module, Stream> Write);

/// <summary>The formats <c>export</c> writes; a new format is one more row.</summary>
public static class ModelExporters
{
    public static IReadOnlyList<ModelExporter> All { get; } =
    [
        new([".pt", ".pth"], "PyTorch state dict under the model's own keys (torch.load, load_state_dict)",
            (_, module, stream) => PyTorchWeights.Save(module, stream, WeightFormat.PyTorch)),
        new([".safetensors"], "safetensors under the model's own keys",
            (_, module, stream) => PyTorchWeights.Save(module, stream, WeightFormat.Safetensors)),
        new([".onnx"], $"ONNX model, opset {OnnxExporter.Opset}, with the weights as initializers",
            // The overload for any module: a network with several outputs gets one graph output each, named as in its .nn file.
            (model, module, stream) => OnnxExporter.Export(module, stream,
                new OnnxExportOptions(NetworkName: model.Name, InputShape: model.Figures.Input))),
    ];

    public static ModelExporter? For(string path) =>
        All.FirstOrDefault(e => e.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()));

    /// <summary>".pt, .pth, .safetensors".</summary>
    public static string ExtensionList => string.Join(", ", All.SelectMany(e => e.Extensions));
}
