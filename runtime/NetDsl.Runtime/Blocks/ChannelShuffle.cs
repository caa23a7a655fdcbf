using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// ShuffleNet's channel shuffle: interleaves the channels of <c>groups</c> equal groups so that the
/// next grouped convolution sees channels from every group.
/// </summary>
public sealed class ChannelShuffle : nn.Module<Tensor, Tensor>
{
    public long Groups { get; }

    public ChannelShuffle(long groups) : base(nameof(ChannelShuffle))
    {
        if (groups < 1)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, "channel shuffle needs at least one group");
        Groups = groups;
    }

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
