using System.Runtime.CompilerServices;

namespace NetDsl.Onnx.Tests;

internal static class TestAssemblySetup
{
    /// <summary>libtorch's settings before the first convolution (oneDNN convolutions off; see NetDsl.Runtime.TorchEnvironment).</summary>
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void ApplyTorchSettings() => NetDsl.Runtime.TorchEnvironment.Initialize();
#pragma warning restore CA2255
}
