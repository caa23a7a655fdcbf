using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetDsl.Examples.Training;

/// <summary>
/// Keeps libtorch's oneDNN kernels on AVX2. With libtorch-cpu 2.10.0 on this machine (virtualised AMD EPYC
/// with AVX-512), oneDNN's AVX-512 convolution backward pass returns wrong, often non-finite, input
/// gradients: 51 to 299 of 200-300 repeated passes with two threads, and now and then even with one.
/// With ONEDNN_MAX_CPU_ISA=AVX2 every pass is finite and identical (tests/NetDsl.Examples.Tests/TorchCpuTests.cs).
/// oneDNN reads the variable once, at its first primitive, so it is set when this assembly loads; a value
/// already in the environment is left alone.
/// </summary>
public static class OneDnnIsaLimit
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Value = "AVX2";

    /// <summary>Sets the variable in the native environment (what oneDNN's getenv sees) unless already set.</summary>
    public static void Apply()
    {
        // Environment.SetEnvironmentVariable only changes .NET's copy on Unix; native code reads libc's.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = setenv(Variable, Value, overwrite: 0);
        else
            Environment.SetEnvironmentVariable(Variable, Environment.GetEnvironmentVariable(Variable) ?? Value);
    }

#pragma warning disable CA2255 // a library module initializer is the point here: it must run before any torch call
    [ModuleInitializer]
    internal static void ApplyOnLoad() => Apply();
#pragma warning restore CA2255

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
