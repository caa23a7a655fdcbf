using Microsoft.CodeAnalysis;
using TorchSharp;

namespace NetDsl.Generator.Tests;

/// <summary><c>block Bneck(act: activation = relu)</c>: activation-typed parameters, checked and built alike.</summary>
public class ActivationParameterTests
{
    private const string Nn = """
        block Bneck(out: int, act: activation = relu) { conv(out, k: 1) bn act conv(out, k: 3) bn act }
        network Net(head: activation = hswish) {
            input 3x16x16
            Bneck(8)
            Bneck(8, act: silu) as second
            avgpool flatten linear(10) head
        }
        variant Net_Tanh = Net(head: tanh)
        """;

    [Fact]
    public void AnActivationParameterIsALayerInTheBodyAndAnEnumParameterInCSharp()
    {
        var result = NetDsl.Checking.Checker.Check([NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", Nn)).Tree]);
        result.Diagnostics.ShouldBeEmpty();
        var net = result.Networks.Single(n => n.Name == "Net");
        net.Layers.Where(row => row.Path.StartsWith("second.")).Select(row => row.Kind).ShouldBe(["conv", "bn", "silu", "conv", "bn", "silu"]);
        net.Layers.Last().Kind.ShouldBe("hswish");
        result.Networks.Single(n => n.Name == "Net_Tanh").Layers.Last().Kind.ShouldBe("tanh");

        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Test.nn", Nn)), GeneratorHarness.Compilation());
        diagnostics.ShouldBeEmpty();
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ShouldBeEmpty();
        var generated = string.Concat(output.SyntaxTrees.Select(t => t.ToString()));
        generated.ShouldContain("global::NetDsl.Runtime.Composition.Activation act = global::NetDsl.Runtime.Composition.Activation.Relu");

        using var assembly = new GeneratedAssembly(Nn);
        using var module = assembly.Create("Net");
        module.parameters().Sum(p => p.numel()).ShouldBe(net.Parameters);
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module);
        modules["second.2"].GetType().Name.ShouldBe("SiLU");
        modules[net.Layers.Last().Path].GetType().Name.ShouldBe("Hardswish");
    }

    [Fact]
    public void AnActivationParameterTakesOnlyAnActivation()
    {
        const string nn = "block B(act: activation = 3) { conv(8) act }\nnetwork N { input 3x8x8 B avgpool flatten linear(2) }";
        var result = NetDsl.Checking.Checker.Check([NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("/p/Test.nn", nn)).Tree]);
        result.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ShouldBe(["NN0119"]);
    }
}
