using System.Text.Json;
using NetDsl.Emit;
using NetDsl.PyTorch;
using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using static TorchSharp.torch;

namespace NetDsl.Generator.Tests;

/// <summary>
/// The graph constructs the zoo does not use, through both back ends: the generated C# module and the emitted PyTorch
/// module (run by Debian's PyTorch) have the same state-dict keys, load the same weights and give the same outputs. The
/// PyTorch forward reaches unlabelled children by number, so this covers the numbers it can only compute when it runs:
/// after a repeat of a parameter's count, an if without else whose branch adds children, a for loop, a block with
/// inputs in a loop; and a block with inputs and one output, a layer shared by a list of maps, bilinear resizing.
/// </summary>
public class EmittedPyTorchGraphTests
{
    private const string Edges = """
        network Edges(n: int = 2, wide: bool = true, deep: int = 3) {
            input 3x32x32
            conv(8, k: 3) bn relu                        -> a
            repeat n { conv(8, k: 3) bn relu }           -> b
            if wide { conv(8, k: 1) relu }               -> b2
            add(a, b2)                                   -> c
            maxpool(2)                                   -> d
            from c, d
            let m = deep - 1
            repeat m as i { Pair(8, twice: i % 2 == 0) }
            Lin(8)                                       -> e, f
            for t in 1..2 { conv(8, k: 1) bn }           -> g, h
            resize(to: e, bilinear: true)                -> gr, hr
            concat(gr, hr)  conv(8, k: 1) as lambda      -> x
            from e, f  Join(8)                           -> j
            from j  resize(to: x)                        -> jr
            fuse(jr, x, gr)
            Single(8)
            upsample(2, bilinear: true)  deconv(8)  avgpool(4)  -> z
            outputs z
        }

        variant EdgesNarrow = Edges(n: 0, wide: false, deep: 2)

        block Pair(c: int, twice: bool = false) {
            inputs p, q
            from p, q  conv(c, k: 3) bn relu  -> p1, q1
            if twice {
                from p1 conv(c, k: 1) -> p2
                from q1 conv(c, k: 1) -> q2
            } else {
                from p1 -> p2
                from q1 -> q2
            }
            from q2 resize(to: p2) -> q3
            add(p2, q3) -> s
            from q2 conv(c, k: 1) -> t
            outputs s, t
        }

        block Join(c: int) {
            inputs u, v
            from v  resize(to: u)  -> v2
            add(u, v2)  conv(c, k: 1)
        }

        block Lin(c: int) {
            conv(c, k: 1) relu
        }

        block Single(c: int) {
            conv(c, k: 3) -> s1
            conv(c, k: 3) relu -> s2
            add(s1, s2)
            if c > 4 { relu }
        }
        """;

    [Theory]
    [InlineData("Edges")]
    [InlineData("EdgesNarrow")]
    public void TheEmittedModuleHasTheGeneratedModulesKeysAndOutputs(string name)
    {
        var work = Directory.CreateTempSubdirectory("netdsl-graph-pytorch-").FullName;
        try
        {
            var tree = NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/graph_edges.nn", Edges)).Tree;
            var plan = EmitPlanner.Plan([tree], GeneratorHarness.Namespace);
            plan.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
            var package = Path.Combine(work, "edges_pkg");
            Directory.CreateDirectory(package);
            foreach (var file in PythonEmitter.Emit(plan))
                File.WriteAllText(Path.Combine(package, file.Name), file.Text);

            using var scope = NewDisposeScope();
            using var generated = new GeneratedAssembly(Edges);
            using var module = generated.Create(name);
            var input = randn([2, 3, 32, 32], generator: new TorchSharp.torch.Generator(5));
            EveryWeightCounts.Apply(module, x => [module.call(x)], input, 11);
            using (var stream = File.Create(Path.Combine(work, $"{name}.pt")))
                PyTorchWeights.Save(module, stream, WeightFormat.PyTorch);
            using (var stream = File.Create(Path.Combine(work, $"{name}.input.npy")))
                NpyFile.Write(input, stream);
            Tensor expected;
            using (no_grad())
                expected = module.call(input);

            var result = JsonDocument.Parse(DebianTorch.RunTool("run_emitted_pytorch.py", package, work, name)).RootElement.GetProperty(name);

            result.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList()
                .ShouldBe(ModuleState.InPyTorchOrder(module).Select(e => e.Key).ToList(), "the state-dict keys, in order");
            result.GetProperty("parameters").GetInt64().ShouldBe(module.parameters().Sum(p => p.numel()));
            Tensor actual;
            using (var stream = File.OpenRead(Path.Combine(work, $"{name}.output.0.npy")))
                actual = NpyFile.Read(stream, "PyTorch's output");
            actual.shape.ShouldBe(expected.shape);
            var scale = expected.abs().max().item<float>();
            var difference = (actual - expected).abs().max().item<float>();
            scale.ShouldBeGreaterThan(0f);
            ((double)difference).ShouldBeLessThanOrEqualTo(1e-4 * scale, $"PyTorch differs from TorchSharp by {difference:G3} (outputs up to {scale:G3})");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
