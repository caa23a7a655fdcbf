namespace NetDsl.Runtime.Inference;

/// <summary>How <see cref="InferenceExtensions.ForInference"/> prepares a module.</summary>
/// <param name="ChannelsLast">Store convolution weights and run features in channels-last (NHWC) memory order, which
/// oneDNN's kernels prefer; the logical shapes stay NCHW. Whether it wins depends on the machine and on oneDNN being
/// on (docs/benchmarks.md has the measurement), so it is off by default.</param>
public sealed record InferenceOptions(bool ChannelsLast = false)
{
    /// <summary>The defaults: batch norm folded, activations fused, contiguous (NCHW) memory order.</summary>
    public static InferenceOptions Default { get; } = new();
}
