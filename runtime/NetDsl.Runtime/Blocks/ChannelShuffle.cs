using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// ShuffleNet's channel shuffle: interleaves the channels of <c>groups</c> equal groups so that the
/// next grouped convolution sees channels from every group.
/// </summary>
/// <remarks>
/// Input <c>[N, C, H, W]</c> with C divisible by <see cref="Groups"/>; output has the same shape. Channel
/// <c>g * (C / groups) + j</c> of the input becomes channel <c>j * groups + g</c> of the output, e.g. with
/// two groups and six channels the order is 0, 3, 1, 4, 2, 5. No parameters.
/// </remarks>
public sealed class ChannelShuffle : nn.Module<Tensor, Tensor>
{
    /// <summary>The number of channel groups that are interleaved.</summary>
    public long Groups { get; }

    /// <summary>Creates a channel shuffle over <paramref name="groups"/> groups.</summary>
    /// <param name="groups">Number of groups, at least 1 (1 leaves the order unchanged).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="groups"/> is below 1.</exception>
    public ChannelShuffle(long groups) : base(nameof(ChannelShuffle))
    {
        if (groups < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "channel shuffle needs at least one group");
        Groups = groups;
    }

    /// <summary>Shuffles the channels of an <c>[N, C, H, W]</c> input.</summary>
    /// <exception cref="ArgumentException">C is not divisible by <see cref="Groups"/>.</exception>
    public override Tensor forward(Tensor input)
    {
        var (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        if (channels % Groups != 0)
            throw new ArgumentException($"channel shuffle with {Groups} groups needs a channel count divisible by {Groups}, got {channels}");
        using var grouped = input.view(batch, Groups, channels / Groups, height, width);
        using var swapped = grouped.transpose(1, 2);
        return swapped.contiguous().view(batch, channels, height, width);
    }
}
