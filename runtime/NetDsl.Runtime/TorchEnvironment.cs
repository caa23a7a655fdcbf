using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NetDsl.Runtime;

/// <summary>
/// Native libtorch settings NetDsl applies before the first convolution runs: oneDNN (mkldnn) and NNPACK
/// convolutions are switched off, as PyTorch's <c>torch.backends.mkldnn.enabled = False</c> and
/// <c>torch.backends.nnpack.set_flags(False)</c> do.
/// </summary>
/// <remarks>
/// <para>libtorch 2.10's oneDNN (v3.7) computes wrong convolution gradients on AVX-512 machines that report no
/// cache topology, such as the 2-core AMD EPYC virtual machines NetDsl is built on: with two threads, 15–40 %
/// of identical backward passes gave non-finite or different weight gradients, its 1x1 stride-2 backward kernel
/// (<c>brgconv_strided</c>, used by every projection shortcut) left parts of input gradients unwritten or died
/// with an integer divide by zero, and training diverged to NaN. Capping oneDNN at AVX2 fixed the first
/// problem but not the second. With oneDNN off, ATen's own convolutions give the same results, bit for bit
/// repeatable, and here they are no slower (tests/NetDsl.Runtime.Tests/OneDnnGradientTests).</para>
/// <para>With oneDNN off, libtorch considers NNPACK for every convolution; on CPUs NNPACK does not support (the same
/// AVX-512 machines) each attempt fails anew, printing "Could not initialize NNPACK! Reason: Unsupported hardware."
/// about 50 times per training batch and spending as much time in the kernel as in the convolutions, so NNPACK
/// is switched off too.</para>
/// <para>Set the environment variable <c>NETDSL_ONEDNN=on</c> to keep oneDNN. TorchSharp 0.107 has no binding
/// for the switch, so this calls libtorch's exported <c>at::globalContext()</c> and
/// <c>at::Context::setUserEnabledMkldnn(bool)</c>; where a libtorch build lacks them, oneDNN is capped at AVX2
/// instead (<c>ONEDNN_MAX_CPU_ISA</c>, unless the user set it).</para>
/// </remarks>
public static class TorchEnvironment
{
    /// <summary>The variable that keeps oneDNN on when set to <c>on</c>.</summary>
    public const string KeepOneDnnVariable = "NETDSL_ONEDNN";

    private const string OneDnnMaxCpuIsa = "ONEDNN_MAX_CPU_ISA";
    private static int initialized;

    /// <summary>
    /// Applies the settings once. Runs by itself when this assembly loads (every generated module uses it);
    /// call it explicitly only in a program that runs convolutions before touching any NetDsl type.
    /// </summary>
    public static void Initialize()
    {
        if (Interlocked.Exchange(ref initialized, 1) == 1)
            return;
        if (string.Equals(Environment.GetEnvironmentVariable(KeepOneDnnVariable), "on", StringComparison.OrdinalIgnoreCase))
            return;
        torch.InitializeDeviceType(DeviceType.CPU); // loads libtorch_cpu, so the imports below resolve
        try
        {
            NativeContext.SetUserEnabledMkldnn(NativeContext.GlobalContext(), false);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            CapOneDnnAtAvx2();
            return;
        }
        try
        {
            NativeContext.SetUserEnabledNnpack(NativeContext.GlobalContext(), false);
        }
        catch (EntryPointNotFoundException)
        {
            // Only warnings and some speed are at stake: keep libtorch's default.
        }
    }

    /// <summary>Whether libtorch would use oneDNN (mkldnn) kernels now.</summary>
    public static bool OneDnnEnabled
    {
        get
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return NativeContext.UserEnabledMkldnn(NativeContext.GlobalContext());
        }
    }

#pragma warning disable CA2255 // Deliberate: the setting must be in place before the first convolution of any caller.
    [ModuleInitializer]
    internal static void InitializeOnLoad() => Initialize();
#pragma warning restore CA2255

    private static void CapOneDnnAtAvx2()
    {
        // .NET's Environment.SetEnvironmentVariable does not reach native getenv on Unix, which oneDNN reads.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = NativeContext.setenv(OneDnnMaxCpuIsa, "AVX2", overwrite: 0);
        else if (Environment.GetEnvironmentVariable(OneDnnMaxCpuIsa) is null)
            Environment.SetEnvironmentVariable(OneDnnMaxCpuIsa, "AVX2");
    }

    private static class NativeContext
    {
        [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool UserEnabledMkldnn(IntPtr context);

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("libc", CharSet = CharSet.Ansi, ExactSpelling = true)]
        public static extern int setenv(string name, string value, int overwrite);
    }
}
