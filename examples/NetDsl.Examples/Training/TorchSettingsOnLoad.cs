using System.Runtime.CompilerServices;
using NetDsl.Runtime;

namespace NetDsl.Examples.Training;

/// <summary>
/// Applies NetDsl.Runtime's native torch settings (oneDNN convolutions off: their backward pass corrupts
/// gradients on this kind of machine) as soon as this assembly loads. The program and the
/// trainer may run convolutions before anything loads NetDsl.Runtime, whose own initializer would be too late.
/// </summary>
internal static class TorchSettingsOnLoad
{
#pragma warning disable CA2255 // deliberate: must run before the first convolution
    [ModuleInitializer]
    internal static void Apply() => TorchEnvironment.Initialize();
#pragma warning restore CA2255
}
