using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>One entry of a state dict: its key and its tensor.</summary>
/// <param name="Key">The dotted state-dict key, e.g. <c>layer1.0.conv1.weight</c>.</param>
/// <param name="Tensor">The values.</param>
public sealed record NamedTensor(string Key, Tensor Tensor)
{
    /// <summary>"[64, 3, 7, 7]".</summary>
    public string ShapeText => "[" + string.Join(", ", Tensor.shape) + "]";

    /// <summary>"layer1.0.conv1.weight Float32 [64, 64, 3, 3]".</summary>
    public override string ToString() => $"{Key} {Tensor.dtype} {ShapeText}";
}

/// <summary>
/// The entries of a state-dict file, in PyTorch's order (module by module in registration order: each
/// module's parameters, then its buffers, then its children), which is the order <c>torch.save</c> keeps.
/// Owns the tensors: dispose it when done.
/// </summary>
public sealed class StateDict : IDisposable
{
    /// <summary>Wraps <paramref name="entries"/>, which this instance then owns.</summary>
    public StateDict(IReadOnlyList<NamedTensor> entries) => Entries = entries;

    /// <summary>The entries in the file's order.</summary>
    public IReadOnlyList<NamedTensor> Entries { get; }

    /// <summary>Releases every tensor.</summary>
    public void Dispose()
    {
        foreach (var entry in Entries)
            entry.Tensor.Dispose();
    }
}
