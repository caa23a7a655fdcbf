using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>A module's parameters and buffers in the order PyTorch's <c>state_dict()</c> lists them.</summary>
public static class ModuleState
{
    /// <summary>
    /// Module by module in registration order: a module's own parameters, then its own buffers, then its
    /// children. TorchSharp's <c>state_dict()</c> lists every parameter before every buffer instead, so the
    /// order is rebuilt from the module tree; the tensors are the module's own (not copies).
    /// </summary>
    public static IReadOnlyList<NamedTensor> InPyTorchOrder(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var entries = new List<NamedTensor>();
        Walk(module, "", entries);
        return entries;
    }

    private static void Walk(nn.Module module, string prefix, List<NamedTensor> entries)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
            entries.Add(new NamedTensor(prefix + name, parameter));
        foreach (var (name, buffer) in module.named_buffers(recurse: false))
            entries.Add(new NamedTensor(prefix + name, buffer));
        foreach (var (name, child) in module.named_children())
            Walk(child, prefix + name + ".", entries);
    }
}
