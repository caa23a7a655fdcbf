using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// Turns off libtorch's oneDNN (mkldnn) convolutions for this test process, as PyTorch's
/// <c>torch.backends.mkldnn.enabled = False</c> does (TorchSharp 0.107 has no binding for it).
/// </summary>
/// <remarks>
/// <para>On the 2-core AMD EPYC VM the suite runs on, which reports no cache topology (no
/// /sys/devices/system/cpu/cpu0/cache), libtorch 2.10's oneDNN v3.7.1 picks
/// <c>brgconv_strided:avx512_core</c> (also <c>:avx2</c> under ONEDNN_MAX_CPU_ISA=AVX2) for the backward-data
/// pass of 1x1 stride-2 convolutions (the projection shortcuts of MultiPathNet, ResNet, ...). That
/// kernel either dies with SIGFPE (an integer divide by zero in
/// <c>dnnl::impl::cpu::x64::brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1</c>, which kills
/// the test host) or leaves part of the input gradient unwritten, so gradients upstream of the shortcut
/// are garbage or NaN (MultiPathNet_SE: 15 of 16 seeded runs with non-finite gradients in one process,
/// 0 of 16 with oneDNN off). With oneDNN off, ATen's own convolutions run instead: same results, no
/// garbage, and here no slower.</para>
/// <para>The entry points are libtorch_cpu's exported <c>at::globalContext()</c> and
/// <c>at::Context::setUserEnabledMkldnn(bool)</c>; the initializer fails loudly if they are missing.</para>
/// </remarks>
internal static class OneDnnWorkaround
{
    [ModuleInitializer]
    internal static void DisableOneDnnConvolutions()
    {
        torch.InitializeDeviceType(DeviceType.CPU);    // loads libtorch_cpu, so the imports below resolve
        SetUserEnabledMkldnn(GlobalContext(), false);
        if (UserEnabledMkldnn(GlobalContext()))
            throw new InvalidOperationException("libtorch still has oneDNN enabled after setUserEnabledMkldnn(false)");
    }

    /// <summary>Whether libtorch would use oneDNN (mkldnn) kernels now.</summary>
    internal static bool OneDnnEnabled => UserEnabledMkldnn(GlobalContext());

    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}

public class OneDnnWorkaroundTests
{
    [Fact]
    public void LibTorchRunsWithoutOneDnnInThisProcess() => OneDnnWorkaround.OneDnnEnabled.ShouldBeFalse();
}
