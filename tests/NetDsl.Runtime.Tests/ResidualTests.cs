using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class ResidualTests
{
    [Fact]
    public void IdentityShortcutAddsTheInput()
    {
        using var scope = NewDisposeScope();
        using var residual = new Residual(nn.Identity());
        var input = tensor(new float[] { 1, -2 }).view(1, 2, 1, 1);

        residual.call(input).Values().ShouldBe(new[] { 2f, -4f });
        residual.HasShortcut.ShouldBeFalse();
        residual.ChildNames().ShouldBe(new[] { "body" });
    }

    [Fact]
    public void BodyOutputIsAddedToTheShortcut()
    {
        using var scope = NewDisposeScope();
        var body = nn.Conv2d(1, 1, 1, bias: false);
        body.weight!.Fill(3f);
        var shortcut = nn.Conv2d(1, 1, 1, bias: false);
        shortcut.weight!.Fill(-1f);
        using var residual = new Residual(body, shortcut);

        residual.call(tensor(new float[] { 2 }).view(1, 1, 1, 1)).Values().ShouldBe(new[] { 4f }); // 3·2 + (−1)·2
        residual.ChildNames().ShouldBe(new[] { "body", "shortcut" });
    }

    [Fact]
    public void ProjectionShortcutChangesChannelsAndStride()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var block = ResNetBasicBlock(8, 16, stride: 2);

        block.call(randn(2, 8, 8, 8)).shape.ShouldBe(new long[] { 2, 16, 4, 4 });
        block.state_dict().Keys.ShouldContain("shortcut.0.weight");
        block.state_dict().Keys.ShouldContain("shortcut.1.running_mean");
        block.ShouldPassGradientsToEveryParameter(randn(2, 8, 8, 8));
    }

    [Fact]
    public void DifferentShapesNameBothShapes()
    {
        using var scope = NewDisposeScope();
        using var residual = new Residual(nn.Conv2d(4, 8, 1));

        Should.Throw<ArgumentException>(() => residual.call(randn(1, 4, 2, 2))).Message.ShouldBe(
            "residual: the body gives [1, 8, 2, 2] but the identity shortcut gives [1, 4, 2, 2]; they must be equal " +
            "(a projection shortcut can change channels and stride)");
    }

    [Fact]
    public void NeverDisposesTheInput()
    {
        using var scope = NewDisposeScope();
        using var residual = new Residual(new ReturnsInput());
        var input = ones(1, 2, 1, 1);

        residual.call(input).Values().ShouldBe(new[] { 2f, 2f });

        input.Values().ShouldBe(new[] { 1f, 1f });
    }

    private static Residual ResNetBasicBlock(long inChannels, long outChannels, long stride) =>
        new(
            nn.Sequential(
                nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false), nn.BatchNorm2d(outChannels), nn.ReLU(),
                nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false), nn.BatchNorm2d(outChannels)),
            nn.Sequential(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels)));
}
