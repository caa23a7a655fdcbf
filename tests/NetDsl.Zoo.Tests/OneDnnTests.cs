using NetDsl.Runtime;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// The zoo's backward passes rely on NetDsl.Runtime keeping libtorch's oneDNN convolutions only where its self-check
/// finds them sound: on machines with libtorch 2.10's oneDNN defect its 1x1 stride-2 backward kernel (every
/// projection shortcut) left input gradients unwritten (MultiPathNet_SE: 15 of 16 runs with non-finite gradients).
/// ZooModelTests' finite-gradient checks run under whatever was decided. See TorchEnvironment.
/// </summary>
public class OneDnnTests
{
    [Fact]
    public void LibTorchRunsWithTheSelfChecksDecisionInThisProcess()
    {
        var decision = TorchEnvironment.OneDnn;
        TorchEnvironment.OneDnnEnabled.ShouldBe(decision.Enabled);
        if (Environment.GetEnvironmentVariable(TorchEnvironment.KeepOneDnnVariable) is null)
            decision.Source.ShouldBe(OneDnnDecisionSource.SelfCheck);
    }
}
