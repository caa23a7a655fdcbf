using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetDsl.Runtime;

/// <summary>
/// Native settings NetDsl applies before libtorch runs its first convolution.
/// </summary>
/// <remarks>
/// libtorch 2.10's oneDNN computes wrong convolution weight gradients on AVX-512 CPUs when it runs on more
/// than one thread: on a 2-core AMD EPYC, 15–40 % of identical backward passes gave non-finite or different
/// gradients for the first convolution, so training diverged to NaN. Capping oneDNN at AVX2 makes every pass
/// finite and bit-for-bit repeatable on any thread count (tests/NetDsl.Runtime.Tests/OneDnnGradientTests).
/// The cap applies only when the user has not set <c>ONEDNN_MAX_CPU_ISA</c>; set it to <c>ALL</c> to lift it.
/// </remarks>
public static class TorchEnvironment
{
    /// <summary>The oneDNN variable that caps the instruction set its kernels may use.</summary>
    public const string OneDnnMaxCpuIsa = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap NetDsl applies when the user has not chosen one.</summary>
    public const string SafeOneDnnIsa = "AVX2";

    private static int initialized;

    /// <summary>
    /// Applies the settings once. Runs by itself when this assembly loads (every generated module uses it);
    /// call it explicitly only in a program that runs convolutions before touching any NetDsl type.
    /// </summary>
    public static void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1)
            return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = setenv(OneDnnMaxCpuIsa, SafeOneDnnIsa, overwrite: 0); // 0: a value the user set wins
        else if (Environment.GetEnvironmentVariable(OneDnnMaxCpuIsa) is null)
            Environment.SetEnvironmentVariable(OneDnnMaxCpuIsa, SafeOneDnnIsa);
    }

    /// <summary>The value oneDNN will see for <see cref="OneDnnMaxCpuIsa"/> (read from the native environment), or null.</summary>
    public static string? OneDnnIsa =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
            ? Marshal.PtrToStringAnsi(getenv(OneDnnMaxCpuIsa))
            : Environment.GetEnvironmentVariable(OneDnnMaxCpuIsa);

#pragma warning disable CA2255 // Deliberate: the setting must be in place before the first convolution of any caller.
    [ModuleInitializer]
    internal static void InitializeOnLoad() => Initialize();
#pragma warning restore CA2255

    // .NET's Environment.SetEnvironmentVariable does not reach native getenv on Unix, which is what oneDNN reads.
    [DllImport("libc", CharSet = CharSet.Ansi, ExactSpelling = true)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", CharSet = CharSet.Ansi, ExactSpelling = true)]
    private static extern IntPtr getenv(string name);
}
