using System.Runtime.CompilerServices;

// torch's random generator is process-wide: tests that seed it to get repeatable weights must not
// interleave with other tests drawing from it. libtorch already uses both cores within each test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NetDsl.Examples.Tests;

internal static class TestAssemblySetup
{
    /// <summary>Some tests call torch before loading the examples or runtime assembly, whose initializers switch oneDNN convolutions off.</summary>
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void ApplyTorchSettings() => NetDsl.Runtime.TorchEnvironment.Initialize();
#pragma warning restore CA2255
}
