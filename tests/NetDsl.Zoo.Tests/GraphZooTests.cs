using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>
/// The zoo's graph networks (ResNet18FPN, EfficientDetD0, UNet) as the generator built them: the reference figures,
/// every output's shape from a real forward pass against the checker's, a backward pass reaching every parameter
/// (the fusion weights too), and the FPN against torchvision's own module with the same weights.
/// </summary>
public class GraphZooTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names() => new(Zoo.GraphFactories.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void TorchSharpCountsTheCheckersParametersAndTheReferenceFigures(string name)
    {
        var report = Zoo.ReportFor(name);
        var reference = Zoo.ReferenceFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.GraphFactories[name]();

        module.GetType().Name.ShouldBe(name);
        long counted = module.parameters().Sum(p => p.numel());
        counted.ShouldBe(report.Parameters);
        reference.ParametersMatch(counted).ShouldBeTrue($"{name}: {counted:N0} parameters, reference {reference.Parameters:N0} ({reference.Source})");
        reference.MacsMatch(report.Macs).ShouldBeTrue($"{name}: {report.Macs:N0} MACs, reference {reference.Macs:N0} ({reference.Source})");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ForwardGivesTheCheckersOutputShapesAndBackwardReachesEveryParameter(string name)
    {
        var report = Zoo.ReportFor(name);
        using var scope = NewDisposeScope();
        using var module = Zoo.GraphFactories[name]();
        module.train();
        manual_seed(7);
        var input = randn(1, report.Input.Channels, report.Input.Height, report.Input.Width);

        var outputs = Forward(module, input);
        var expected = report.Outputs.Count > 0 ? report.Outputs.Select(o => o.Shape).ToList() : [report.Output!];
        outputs.Count.ShouldBe(expected.Count);
        for (int i = 0; i < outputs.Count; i++)
        {
            outputs[i].shape.ShouldBe(new[] { 1L, expected[i].Channels, expected[i].Height, expected[i].Width }, $"{name} output {i}");
            outputs[i].isfinite().all().item<bool>().ShouldBeTrue($"{name} output {i} is not finite");
        }

        outputs.Select(o => o.mean()).Aggregate((a, b) => a + b).backward();
        var missing = module.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        missing.ShouldBeEmpty($"{name}: parameters without a gradient");
        output.WriteLine($"{name}: {outputs.Count} output(s): {string.Join(", ", outputs.Select(o => "[" + string.Join("x", o.shape) + "]"))}");
    }

    [Fact]
    public void TheNetworksWithSeveralOutputsNameThemAsTheirOutputsStatementDoes()
    {
        using var scope = NewDisposeScope();
        using var fpn = new Examples.Models.ResNet18FPN();
        fpn.OutputNames.ShouldBe(["p2", "p3", "p4", "p5"]);
        fpn.OutputShapes.Select(s => s.ToString()).ShouldBe(["256x56x56", "256x28x28", "256x14x14", "256x7x7"]);
        Examples.Models.ResNet18FPN.Figures.Outputs.ShouldBe(["p2", "p3", "p4", "p5"]);

        fpn.eval();
        using var noGrad = no_grad();
        using var result = fpn.call(randn(2, 3, 64, 96));    // the typed record: P2..P5
        result.P2.shape.ShouldBe([2L, 256, 16, 24]);
        result.P5.shape.ShouldBe([2L, 256, 2, 3]);

        using var detector = new Examples.Models.EfficientDetD0();
        detector.OutputNames.ShouldBe(["c3", "c4", "c5", "c6", "c7", "b3", "b4", "b5", "b6", "b7"]);
    }

    [Fact]
    public void TheFpnGivesTorchvisionsOutputsWithTheSameWeights()
    {
        var work = Directory.CreateTempSubdirectory("netdsl-fpn-").FullName;
        try
        {
            using var scope = NewDisposeScope();
            using var module = new Examples.Models.ResNet18FPN();
            manual_seed(11);
            RandomizeBatchNormStatistics(module);

            // torchvision's keys in its state-dict order; the generated module's entries in PyTorch's order line up one to one.
            var keys = DebianTorch.RunTool("fpn_reference.py", "--keys").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var entries = ModuleState.InPyTorchOrder(module);
            keys.Length.ShouldBe(entries.Count);
            var renamed = entries.Select((entry, i) => new NamedTensor(keys[i], entry.Tensor)).ToList();
            var weights = Path.Combine(work, "fpn.pt");
            using (var stream = File.Create(weights))
                StateDictWriter.Write(renamed, stream, WeightFormat.PyTorch);

            var input = randn(2, 3, 96, 128);
            using (var stream = File.Create(Path.Combine(work, "input.npy")))
                NpyFile.Write(input, stream);
            DebianTorch.RunTool("fpn_reference.py", weights, Path.Combine(work, "input.npy"), Path.Combine(work, "out"));

            module.eval();
            using var noGrad = no_grad();
            var actual = module.ForwardFeatures(input);
            for (int i = 0; i < actual.Count; i++)
            {
                Tensor expected;
                using (var stream = File.OpenRead(Path.Combine(work, "out", module.OutputNames[i] + ".npy")))
                    expected = NpyFile.Read(stream, module.OutputNames[i]);
                actual[i].shape.ShouldBe(expected.shape);
                var largest = expected.abs().max().item<float>();
                var difference = (actual[i] - expected).abs().max().item<float>();
                output.WriteLine($"{module.OutputNames[i]}: largest difference {difference:G3} of the largest value {largest:G4}");
                (difference / largest).ShouldBeLessThan(1e-4f, $"{module.OutputNames[i]}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static IReadOnlyList<Tensor> Forward(nn.Module module, Tensor input) => module switch
    {
        IMultiOutputNetwork network => network.ForwardFeatures(input),
        SequentialModule sequential => [sequential.call(input)],
        _ => throw new InvalidOperationException($"{module.GetType().Name} is neither kind of generated network"),
    };

    /// <summary>Random batch-norm weights and running statistics, so that loading them is tested too.</summary>
    private static void RandomizeBatchNormStatistics(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is TorchSharp.Modules.BatchNorm2d bn)
            {
                bn.weight!.uniform_(0.5, 1.5);
                bn.bias!.normal_(0, 0.1);
                bn.running_mean!.normal_(0, 0.1);
                bn.running_var!.uniform_(0.5, 1.5);
            }
        }
    }
}
