using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

internal static class TensorAssertions
{
    /// <summary>Same shape and bit-for-bit the same values (torch.equal is element-wise in TorchSharp).</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
