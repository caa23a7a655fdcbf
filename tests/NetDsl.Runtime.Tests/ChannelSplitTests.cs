using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class ChannelSplitTests
{
    [Fact]
    public void IdentityPathsReorderNothing()
    {
        using var scope = NewDisposeScope();
        using var split = new ChannelSplit(new long[] { 1, 2, 3 }, nn.Identity(), nn.Identity(), nn.Identity());
        var input = arange(12, dtype: float32).view(1, 6, 1, 2);

        var output = split.call(input);

        output.shape.ShouldBe(new long[] { 1, 6, 1, 2 });
        output.Values().ShouldBe(input.Values());
    }

    [Fact]
    public void PathIGetsPartI()
    {
        using var scope = NewDisposeScope();
        // path1 (identity) gets channel 0; path2 (CReLU) gets channels 1..2 and doubles them.
        using var split = new ChannelSplit(new long[] { 1, 2 }, nn.Identity(), new CReLU());
        var input = tensor(new float[] { 1, -2, 3 }).view(1, 3, 1, 1);

        var output = split.call(input);

        // [1] ++ relu(cat([-2, 3], [2, -3])) = [1, 0, 3, 2, 0]
        output.Values().ShouldBe(new[] { 1f, 0f, 3f, 2f, 0f });
    }

    [Fact]
    public void ShuffleNetV2StrideOneUnitKeepsTheShape()
    {
        using var scope = NewDisposeScope();
        const long half = 58;
        var branch = nn.Sequential(
            nn.Conv2d(half, half, 1, bias: false), nn.BatchNorm2d(half), nn.ReLU(),
            nn.Conv2d(half, half, 3, padding: 1, groups: half, bias: false), nn.BatchNorm2d(half),
            nn.Conv2d(half, half, 1, bias: false), nn.BatchNorm2d(half), nn.ReLU());
        using var unit = nn.Sequential(new ChannelSplit(new[] { half, half }, nn.Identity(), branch), new ChannelShuffle(2));

        unit.call(randn(2, 2 * half, 7, 7)).shape.ShouldBe(new long[] { 2, 2 * half, 7, 7 });
    }

    [Fact]
    public void RegistersPathsAndExposesSizes()
    {
        using var scope = NewDisposeScope();
        using var split = new ChannelSplit(new long[] { 2, 6 }, nn.Identity(), nn.Conv2d(6, 6, 1));
        split.ChildNames().ShouldBe(new[] { "path1", "path2" });
        split.SplitSizes.ShouldBe(new long[] { 2, 6 });
        split.InChannels.ShouldBe(8);
    }

    [Fact]
    public void LabelledPathsAreRegisteredUnderTheirLabels()
    {
        using var scope = NewDisposeScope();
        using var split = new ChannelSplit([2, 2],
            new (string?, nn.Module<Tensor, Tensor>)[] { ("keep", nn.Identity()), ("branch", nn.Conv2d(2, 3, 1)) });

        split.PathNames.ShouldBe(new[] { "keep", "branch" });
        split.state_dict().Keys.ShouldBe(new[] { "branch.weight", "branch.bias" });
        split.call(randn(1, 4, 3, 3)).shape.ShouldBe(new long[] { 1, 5, 3, 3 });
    }

    [Fact]
    public void GradientsReachEveryPath()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var split = new ChannelSplit(new long[] { 2, 3 }, nn.Conv2d(2, 4, 3, padding: 1), nn.Conv2d(3, 1, 1));
        split.ShouldPassGradientsToEveryParameter(randn(2, 5, 4, 4));
    }

    [Fact]
    public void WrongInputChannelsNameTheSizes()
    {
        using var scope = NewDisposeScope();
        using var split = new ChannelSplit(new long[] { 2, 2 }, nn.Identity(), nn.Identity());

        Should.Throw<ArgumentException>(() => split.call(randn(1, 5, 2, 2)))
            .Message.ShouldBe("channel split into [2, 2] needs 4 input channels, got input of shape [1, 5, 2, 2]");
    }

    [Fact]
    public void NeverDisposesTheInput()
    {
        using var scope = NewDisposeScope();
        using var split = new ChannelSplit(new long[] { 2 }, new ReturnsInput());
        var input = ones(1, 2, 1, 1);

        split.call(input).Values().ShouldBe(new[] { 1f, 1f });

        input.Values().ShouldBe(new[] { 1f, 1f });
    }

    [Fact]
    public void RejectsMismatchedOrEmptyParts()
    {
        Should.Throw<ArgumentException>(() => new ChannelSplit(new long[] { 2, 2 }, nn.Identity()))
            .Message.ShouldStartWith("a channel split needs one path per part: 2 split sizes but 1 paths");
        Should.Throw<ArgumentOutOfRangeException>(() => new ChannelSplit(new long[] { 2, 0 }, nn.Identity(), nn.Identity()))
            .Message.ShouldStartWith("every part of a channel split needs at least one channel");
        Should.Throw<ArgumentException>(() => new ChannelSplit(Array.Empty<long>()))
            .Message.ShouldStartWith("a channel split needs at least one part");
    }
}
