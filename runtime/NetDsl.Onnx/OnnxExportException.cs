namespace NetDsl.Onnx;

/// <summary>
/// A module cannot be written as ONNX: a layer type or a setting the exporter has no ONNX form for. The
/// message names the module's state-dict path and what is wrong, e.g.
/// <c>blocks.3.act: TorchSharp.Modules.PReLU has no ONNX export in NetDsl</c>.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception for the module at <paramref name="modulePath"/>.</summary>
    /// <param name="modulePath">The module's state-dict path; empty for the network itself.</param>
    /// <param name="message">What cannot be exported, for a user.</param>
    public OnnxExportException(string modulePath, string message)
        : base($"{(modulePath.Length == 0 ? "the network" : modulePath)}: {message}")
    {
        ModulePath = modulePath;
    }

    /// <summary>The state-dict path of the module that cannot be exported (empty for the network itself).</summary>
    public string ModulePath { get; }
}
