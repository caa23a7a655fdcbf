using NetDsl.Runtime;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// The zoo's backward passes rely on NetDsl.Runtime switching off libtorch's oneDNN convolutions: on this kind of
/// machine its 1x1 stride-2 backward kernel (every projection shortcut) left input gradients unwritten or died
/// with a divide by zero (MultiPathNet_SE: 15 of 16 runs with non-finite gradients). See TorchEnvironment.
/// </summary>
public class OneDnnTests
{
    [Fact]
    public void LibTorchRunsWithoutOneDnnInThisProcess()
    {
        TorchEnvironment.Initialize();
        TorchEnvironment.OneDnnEnabled.ShouldBeFalse();
    }
}
