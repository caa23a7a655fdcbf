using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>
/// Loads PyTorch state dicts and safetensors files into any module, and saves modules in both formats:
/// read (<see cref="StateDictReader"/>), match and check (<see cref="WeightMap"/>), then copy.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>
    /// Reads <paramref name="stream"/> and copies it into <paramref name="module"/> when every entry fits;
    /// otherwise throws and leaves the module as it was.
    /// </summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="stream">The file's content (left open).</param>
    /// <param name="format">PyTorch's or safetensors.</param>
    /// <param name="source">How messages name the file.</param>
    /// <returns>The mapping that was applied (show it with <see cref="WeightMap.Describe"/>).</returns>
    /// <exception cref="InteropFormatException">The stream is not a readable state dict.</exception>
    /// <exception cref="WeightMismatchException">It does not fit the module; nothing was loaded.</exception>
    public static WeightMap Load(nn.Module module, Stream stream, WeightFormat format, string source)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var state = StateDictReader.Read(stream, format, source);
        var map = WeightMap.Plan(module, state.Entries, source);
        map.Apply();
        return map;
    }

    /// <summary>Writes every parameter and buffer of <paramref name="module"/>, under its own keys, to <paramref name="stream"/> (left open).</summary>
    public static void Save(nn.Module module, Stream stream, WeightFormat format) => StateDictWriter.Write(module, stream, format);
}
