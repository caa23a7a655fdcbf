using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>
/// Channels-last (NHWC) copies of 4-d tensors. TorchSharp 0.107 has no <c>memory_format</c> argument, but libtorch
/// infers the memory order from the strides, so a tensor permuted to NHWC, made contiguous and permuted back to
/// NCHW is exactly what PyTorch's <c>x.contiguous(memory_format=torch.channels_last)</c> gives.
/// </summary>
internal static class MemoryOrder
{
    public static Tensor ChannelsLast(Tensor tensor)
    {
        using var nhwc = tensor.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }
}
