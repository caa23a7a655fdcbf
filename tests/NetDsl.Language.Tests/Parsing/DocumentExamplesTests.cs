using NetDsl.Syntax;
using static NetDsl.Language.Tests.Parsing.ParseHelper;

namespace NetDsl.Language.Tests.Parsing;

public class DocumentExamplesTests
{
    public const string MobileNetV2 = """
        // mobilenet_v2.nn
        network MobileNetV2(width: float = 1.0, classes: int = 1000, dropout: float = 0.2) {
            input 3x224x224
            let ch(c) = divisible(c * width, 8)       // the paper's width multiplier, torchvision's rounding

            conv(ch(32), k: 3, s: 2) bn relu6
            for (t, c, n, s) in [(1,16,1,1), (6,24,2,2), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1)] {
                repeat n as i { InvertedResidual(ch(c), expand: t, s: i == 0 ? s : 1) }
            }
            conv(divisible(1280 * max(1.0, width), 8), k: 1) bn relu6
            avgpool flatten dropout(dropout) linear(classes)
        }

        block InvertedResidual(out: int, expand: int, s: int = 1) {
            residual when s == 1 && in == out {        // skip only where shapes allow it
                if expand != 1 { conv(round(in * expand), k: 1) bn relu6 }
                dwconv(k: 3, s: s) bn relu6
                conv(out, k: 1) bn                     // linear bottleneck: no activation
            }
        }

        variant MobileNetV2_050 = MobileNetV2(width: 0.5)
        variant MobileNetV2_Cifar = MobileNetV2(classes: 10) { input 3x32x32 }
        """;

    public const string Tiny = """
        network Tiny(classes: int = 10) {
            input 1x28x28
            stem: { conv(16, k: 3) bn relu }
            conv(32, k: 3, s: 2) as down bn relu
            avgpool flatten linear(classes) as head
        }
        """;

    public const string MultiPath = """
        // multipath.nn — the seed paper's module: width moves from channels to paths,
        // path p has p convolutions (multi-scale by depth), attention is optional.
        block MultiPath(out: int, paths: int = 3, attention: bool = false, s: int = 1) {
            parallel concat {
                for p in 1..paths {
                    path { repeat p as j { conv(out / paths, k: 3, s: j == 0 ? s : 1) bn relu } }
                }
            }
            if attention { se(reduce: 16) }
        }
        """;

    [Fact]
    public void MobileNetV2_example_parses_into_two_networks_worth_of_declarations()
    {
        var tree = ParseClean(MobileNetV2);
        tree.Declarations.Select(d => d.GetType().Name + " " + d.Name.Text).ShouldBe(new[]
        {
            "NetworkDeclaration MobileNetV2", "BlockDeclaration InvertedResidual",
            "VariantDeclaration MobileNetV2_050", "VariantDeclaration MobileNetV2_Cifar",
        });

        var network = (NetworkDeclaration)tree.Declarations[0];
        network.Parameters.Select(p => $"{p.Name.Text}:{p.Type}={Render(p.Default!)}")
            .ShouldBe(new[] { "width:Float=1.0", "classes:Int=1000", "dropout:Float=0.2" });
        network.Body.Statements.Select(s => s switch
        {
            LayerStatement layer => layer.Name.Text,
            _ => s.GetType().Name,
        }).ShouldBe(new[]
        {
            "InputStatement", "FunctionStatement", "conv", "bn", "relu6", "ForStatement",
            "conv", "bn", "relu6", "avgpool", "flatten", "dropout", "linear",
        });

        var function = (FunctionStatement)network.Body.Statements[1];
        function.Parameters.Select(p => p.Text).ShouldBe(new[] { "c" });
        Render(function.Body).ShouldBe("divisible((c * width), 8)");

        var loop = (ForStatement)network.Body.Statements[5];
        loop.Pattern.IsTuple.ShouldBeTrue();
        loop.Pattern.Names.Select(n => n.Text).ShouldBe(new[] { "t", "c", "n", "s" });
        ((ListExpression)loop.Source).Items.Count.ShouldBe(7);
        var repeat = (RepeatStatement)loop.Body.Statements.Single();
        repeat.Index!.Text.ShouldBe("i");
        var use = (LayerStatement)repeat.Body.Statements.Single();
        use.Name.Text.ShouldBe("InvertedResidual");
        use.Arguments!.Value.Select(a => (a.Name?.Text ?? "_") + "=" + Render(a.Value))
            .ShouldBe(new[] { "_=ch(c)", "expand=t", "s=((i == 0) ? s : 1)" });

        var block = (BlockDeclaration)tree.Declarations[1];
        var residual = (ResidualStatement)block.Body.Statements.Single();
        Render(residual.When!).ShouldBe("((s == 1) && (in == out))");
        residual.Options.Count.ShouldBe(0);
        residual.Body.Statements.Count.ShouldBe(6);
        var branch = (IfStatement)residual.Body.Statements[0];
        branch.Else.ShouldBeNull();
        Render(branch.Condition).ShouldBe("(expand != 1)");

        var cifar = (VariantDeclaration)tree.Declarations[3];
        cifar.Target.Text.ShouldBe("MobileNetV2");
        cifar.Arguments.Single().Name!.Text.ShouldBe("classes");
        Render(cifar.Input!.Height).ShouldBe("32");
        ((VariantDeclaration)tree.Declarations[2]).Input.ShouldBeNull();
    }

    [Fact]
    public void Tiny_example_has_a_group_and_labels()
    {
        var network = (NetworkDeclaration)ParseClean(Tiny).Declarations.Single();
        var statements = network.Body.Statements;
        var group = (GroupStatement)statements[1];
        group.Label.Text.ShouldBe("stem");
        group.Body.Statements.Count.ShouldBe(3);
        ((LayerStatement)statements[2]).Label!.Text.ShouldBe("down");
        ((LayerStatement)statements[7]).Label!.Text.ShouldBe("head");
        ((LayerStatement)statements[6]).Arguments.ShouldBeNull();
    }

    [Fact]
    public void MultiPath_sketch_has_paths_inside_a_for_loop()
    {
        var block = (BlockDeclaration)ParseClean(MultiPath).Declarations.Single();
        block.Parameters.Select(p => p.Type).ShouldBe(new[] { ParameterType.Int, ParameterType.Int, ParameterType.Bool, ParameterType.Int });
        var parallel = (ParallelStatement)block.Body.Statements[0];
        parallel.Merge.ShouldBe(MergeKind.Concat);
        var loop = (ForStatement)parallel.Paths.Statements.Single();
        loop.Pattern.IsTuple.ShouldBeFalse();
        Render(loop.Source).ShouldBe("1..paths");
        var path = (PathStatement)loop.Body.Statements.Single();
        path.Label.ShouldBeNull();
        var conv = (LayerStatement)((RepeatStatement)path.Body.Statements.Single()).Body.Statements[0];
        Render(conv.Arguments!.Value[0].Value).ShouldBe("(out / paths)");
        ((IfStatement)block.Body.Statements[1]).Then.Statements.Single().ShouldBeOfType<LayerStatement>();
    }
}
