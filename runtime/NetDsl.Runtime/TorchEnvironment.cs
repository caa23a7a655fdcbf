using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NetDsl.Runtime;

/// <summary>
/// Native libtorch settings NetDsl applies before the first convolution runs: oneDNN (mkldnn) convolutions stay on
/// where a self-check shows they are sound on this machine, and are switched off where they are not (with NNPACK,
/// as PyTorch's <c>torch.backends.mkldnn.enabled = False</c> and <c>torch.backends.nnpack.set_flags(False)</c> do).
/// </summary>
/// <remarks>
/// <para>libtorch 2.10's oneDNN (v3.7) computed wrong convolution gradients on some AVX-512 virtual machines that
/// report no cache topology (2-core AMD EPYC): with two threads, 15–40 % of identical backward passes gave
/// non-finite or different weight gradients, and its 1x1 stride-2 backward kernel (<c>brgconv_strided</c>, every
/// projection shortcut) left parts of input gradients unwritten, so training diverged to NaN. The defect comes and
/// goes with the host, and where oneDNN is sound, ATen's own convolutions are 2–3x slower (docs/benchmarks.md), so
/// the choice is made per machine: <see cref="OneDnnSelfCheck"/> runs those kernels with oneDNN and with ATen and
/// keeps oneDNN only where they agree. The bench prints what it cost (docs/benchmarks.md).</para>
/// <para>With oneDNN off, libtorch considers NNPACK for every convolution; on CPUs NNPACK does not support (the same
/// AVX-512 machines) each attempt fails anew, printing "Could not initialize NNPACK! Reason: Unsupported hardware."
/// about 50 times per training batch, so NNPACK is switched off with it.</para>
/// <para><c>NETDSL_ONEDNN=on</c> keeps oneDNN without the check, <c>NETDSL_ONEDNN=off</c> switches it off without the
/// check. TorchSharp 0.107 binds only CUDA/cuDNN switches (<c>torch.backends.cuda</c>, <c>torch.backends.cudnn</c>),
/// so this calls libtorch's exported <c>at::globalContext()</c> and <c>at::Context::setUserEnabledMkldnn(bool)</c>;
/// where a libtorch build lacks them, oneDNN is capped at AVX2 instead (<c>ONEDNN_MAX_CPU_ISA</c>, unless set).</para>
/// </remarks>
public static class TorchEnvironment
{
    /// <summary>The variable that forces oneDNN <c>on</c> or <c>off</c> (anything else, or unset: the self-check decides).</summary>
    public const string KeepOneDnnVariable = "NETDSL_ONEDNN";

    private const string OneDnnMaxCpuIsa = "ONEDNN_MAX_CPU_ISA";
    private static readonly Lock gate = new();
    private static OneDnnDecision? decision;

    /// <summary>
    /// Applies the settings once. Runs by itself when this assembly loads (every generated module uses it);
    /// call it explicitly only in a program that runs convolutions before touching any NetDsl type.
    /// </summary>
    public static void Initialize()
    {
        lock (gate)
        {
            if (decision is not null)
                return;
            decision = Decide(Environment.GetEnvironmentVariable(KeepOneDnnVariable));
            if (!decision.Enabled && decision.Source == OneDnnDecisionSource.SelfCheck)
                Console.Error.WriteLine($"NetDsl: {decision.Reason}");
        }
    }

    /// <summary>What was decided about oneDNN in this process, and why (runs <see cref="Initialize"/> first).</summary>
    public static OneDnnDecision OneDnn
    {
        get
        {
            Initialize();
            return decision!;
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

    private static OneDnnDecision Decide(string? setting)
    {
        var forced = setting?.Trim().ToLowerInvariant();
        if (forced == "on")
            return new OneDnnDecision(true, OneDnnDecisionSource.ForcedOn, $"{KeepOneDnnVariable}=on", null);
        torch.InitializeDeviceType(DeviceType.CPU); // loads libtorch_cpu, so the imports below resolve
        try
        {
            if (forced == "off")
            {
                SwitchOneDnnOff();
                return new OneDnnDecision(false, OneDnnDecisionSource.ForcedOff, $"{KeepOneDnnVariable}=off", null);
            }
            if (!NativeContext.HasMkldnn())
                return new OneDnnDecision(false, OneDnnDecisionSource.Unavailable, "this libtorch has no oneDNN", null);
            // NNPACK off while ATen computes the reference: on CPUs it does not support, each try prints a warning.
            var nnpack = NnpackEnabled();
            var (disagreement, duration, processorTime) = OneDnnSelfCheck.Run(enabled =>
            {
                SetOneDnn(enabled);
                SetNnpack(enabled && nnpack);
            });
            if (disagreement is null)
                return new OneDnnDecision(true, OneDnnDecisionSource.SelfCheck,
                    "oneDNN's convolution gradients agree with ATen's on this machine", duration, processorTime);
            SwitchOneDnnOff();
            return new OneDnnDecision(false, OneDnnDecisionSource.SelfCheck,
                $"oneDNN convolutions switched off on this machine because its self-check failed ({disagreement}); " +
                $"ATen's convolutions are used instead (correct, but slower). Set {KeepOneDnnVariable}=on to force oneDNN, " +
                $"{KeepOneDnnVariable}=off to skip the check.", duration, processorTime);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            CapOneDnnAtAvx2();
            return new OneDnnDecision(true, OneDnnDecisionSource.Unavailable,
                "libtorch's oneDNN switch is not exported by this build: oneDNN is capped at AVX2 instead", null);
        }
    }

    internal static void SetOneDnn(bool enabled) => NativeContext.SetUserEnabledMkldnn(NativeContext.GlobalContext(), enabled);

    private static void SwitchOneDnnOff()
    {
        SetOneDnn(false);
        SetNnpack(false);
    }

    private static bool NnpackEnabled()
    {
        try
        {
            return NativeContext.UserEnabledNnpack(NativeContext.GlobalContext());
        }
        catch (EntryPointNotFoundException)
        {
            return false; // then SetNnpack cannot change it either
        }
    }

    private static void SetNnpack(bool enabled)
    {
        try
        {
            NativeContext.SetUserEnabledNnpack(NativeContext.GlobalContext(), enabled);
        }
        catch (EntryPointNotFoundException)
        {
            // Only warnings and some speed are at stake: keep libtorch's default.
        }
    }

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

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context9hasMKLDNNEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool HasMkldnn();

        [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool UserEnabledNnpack(IntPtr context);

        [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport("libc", CharSet = CharSet.Ansi, ExactSpelling = true)]
        public static extern int setenv(string name, string value, int overwrite);
    }
}
