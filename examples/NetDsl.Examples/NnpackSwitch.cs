using System.Runtime.InteropServices;
using TorchSharp;

namespace NetDsl.Examples;

/// <summary>
/// Switches libtorch's NNPACK convolutions off, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does.
/// </summary>
/// <remarks>
/// With oneDNN off (NetDsl.Runtime.TorchEnvironment), libtorch considers NNPACK for every convolution. On CPUs
/// NNPACK does not support (the AVX-512 EPYC machines this is built on) each attempt fails anew, printing
/// "Could not initialize NNPACK! Reason: Unsupported hardware." to stderr: about 50 lines per training batch,
/// and as much time in the kernel as in the convolutions. Off, libtorch goes straight to its own kernels.
/// TorchSharp 0.107 has no binding for the switch, so this calls libtorch's exported
/// <c>at::Context::setUserEnabledNNPACK(bool)</c>; a libtorch build without it keeps its default.
/// </remarks>
internal static class NnpackSwitch
{
    public static void TurnOff()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // loads libtorch_cpu, so the imports below resolve
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Only the warnings and some speed are at stake.
        }
    }

    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
