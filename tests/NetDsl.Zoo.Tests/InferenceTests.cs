using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Inference;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// <c>ForInference()</c> on every zoo network: batch norm folded into convolutions, activations fused, outputs equal
/// to the unfused network's in eval mode within 1e-5 of the largest logit, and the original left as it was. Batch
/// norms get random statistics and affine weights first, so folding is not the identity it is on a fresh network.
/// </summary>
public class InferenceTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string> Names() => Zoo.Names();

    public static TheoryData<string> ChannelsLastNames() =>
        new("MobileNetV2", "ResNet18", "CifarResNet18", "MultiPathNet", "DenseNet121", "ShuffleNetV2_x1_0");

    [Theory]
    [MemberData(nameof(Names))]
    public void FoldedOutputsEqualTheUnfusedNetworksAndTheOriginalIsUnchanged(string name) =>
        FoldedOutputsEqualTheUnfused(name, InferenceOptions.Default);

    [Theory]
    [MemberData(nameof(ChannelsLastNames))]
    public void ChannelsLastOutputsEqualTheUnfusedNetworks(string name) =>
        FoldedOutputsEqualTheUnfused(name, new InferenceOptions(ChannelsLast: true));

    [Fact]
    public void EveryConvolutionFollowedByBatchNormIsFolded()
    {
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories["ResNet18"]();
        using var inference = module.ForInference();
        inference.modules().OfType<BatchNorm2d>().ShouldBeEmpty();
        inference.modules().OfType<Conv2d>().ShouldBeEmpty();
        inference.parameters().Where(p => p.requires_grad).ShouldBeEmpty();   // nothing to train
        var folded = inference.named_buffers().Count(b => b.name.EndsWith(".weight", StringComparison.Ordinal));
        folded.ShouldBe(module.modules().OfType<Conv2d>().Count());   // one folded weight per convolution
    }

    private void FoldedOutputsEqualTheUnfused(string name, InferenceOptions options)
    {
        var report = Zoo.ReportFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.Factories[name]();
        RandomizeBatchNorms(module, seed: 11);
        module.train();
        var before = module.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());

        using var inference = module.ForInference(options);

        module.training.ShouldBeTrue("ForInference must not switch the original to eval mode");
        var after = module.state_dict();
        after.Keys.ShouldBe(before.Keys, ignoreOrder: false);
        foreach (var (key, value) in before)
            after[key].equal(value).all().item<bool>().ShouldBeTrue($"{name}: ForInference changed {key}");

        module.eval();
        manual_seed(5);
        var input = randn(2, report.Input.Channels, report.Input.Height, report.Input.Width);
        using var noGrad = no_grad();
        var expected = module.call(input);
        var actual = inference.call(input);
        actual.shape.ShouldBe(expected.shape);
        var scale = expected.abs().max().item<float>();
        var error = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{name}: largest difference {error:G3}, largest logit {scale:G3}, relative {error / scale:G3}");
        (error <= RelativeTolerance * scale).ShouldBeTrue(
            $"{name}: the prepared network differs by {error:G3}, more than {RelativeTolerance:G} of the largest logit {scale:G3}");
    }

    private static void RandomizeBatchNorms(nn.Module module, int seed)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var norm in module.modules().OfType<BatchNorm2d>())
        {
            var channels = norm.running_mean!.size(0);
            norm.running_mean.copy_(randn(channels, generator: generator) * 0.1);
            norm.running_var!.copy_(rand(channels, generator: generator) + 0.5);
            norm.weight!.copy_(randn(channels, generator: generator) * 0.1 + 1);
            norm.bias!.copy_(randn(channels, generator: generator) * 0.1);
        }
        generator.Dispose();
    }
}
