namespace NetDsl.Runtime.Interop;

/// <summary>The files of weights NetDsl reads and writes besides TorchSharp's own.</summary>
public enum WeightFormat
{
    /// <summary>PyTorch's <c>torch.save(model.state_dict())</c>: a zip archive holding a pickle and the raw tensors (<c>.pt</c>, <c>.pth</c>).</summary>
    PyTorch,

    /// <summary>Hugging Face's safetensors: a JSON header, then the raw tensors (<c>.safetensors</c>).</summary>
    Safetensors,
}

/// <summary>Which <see cref="WeightFormat"/> a file name stands for.</summary>
public static class WeightFormats
{
    /// <summary>The format of <paramref name="path"/> by its extension, or null when it is neither PyTorch's nor safetensors.</summary>
    public static WeightFormat? FromPath(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pt" or ".pth" => WeightFormat.PyTorch,
        ".safetensors" => WeightFormat.Safetensors,
        _ => null,
    };
}
