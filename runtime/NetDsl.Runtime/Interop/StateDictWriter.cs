using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>
/// Writes a module's weights under its own state-dict keys, in PyTorch's order (see
/// <see cref="ModuleState.InPyTorchOrder"/>), as a file <c>torch.load</c> or safetensors readers open.
/// </summary>
public static class StateDictWriter
{
    /// <summary>Writes every parameter and buffer of <paramref name="module"/> to <paramref name="stream"/> (left open).</summary>
    public static void Write(nn.Module module, Stream stream, WeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(module);
        Write(ModuleState.InPyTorchOrder(module), stream, format);
    }

    /// <summary>Writes <paramref name="entries"/>, in their order, to <paramref name="stream"/> (left open).</summary>
    public static void Write(IReadOnlyList<NamedTensor> entries, Stream stream, WeightFormat format)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(stream);
        using var scope = NewDisposeScope();
        // Plain tensors on the CPU, contiguous: what both formats store byte for byte. Insertion order is kept.
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in entries)
            state.Add(entry.Key, entry.Tensor.detach().cpu().contiguous());
        if (format == WeightFormat.PyTorch)
            PyTorchPickler.PickleStateDict(stream, state, leaveOpen: true);
        else
            Safetensors.SaveStateDict(stream, state, leaveOpen: true);
    }
}
