using NetDsl.Binding;
using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Binding;

/// <summary>The bound tree: what every back end reads of a declaration.</summary>
public class BinderTests
{
    private const string Text = """
        block Unit(out: int, s: int = 1) {
            conv(out, k: 3, s: s) bn relu
        }
        network Net(width: int = 16) {
            input 3x32x32
            conv(width) relu
            Unit(32, s: 2) as down
            avgpool flatten linear(10)
        }
        """;

    private static BoundDeclaration Bind(string text, string name)
    {
        var tree = Parser.Parse(new SourceText("net.nn", text)).Tree;
        var check = Checker.Check([tree]);
        check.Diagnostics.ShouldBeEmpty();
        return Binder.Bind(tree.Declarations.Single(d => d.Name.Text == name), check.Model);
    }

    [Fact]
    public void A_declaration_moved_by_a_comment_binds_to_an_equal_tree()
    {
        Bind("// a comment\n\n" + Text, "Net").ShouldBe(Bind(Text, "Net"));
        Bind("// a comment\n\n" + Text, "Unit").ShouldBe(Bind(Text, "Unit"));
        Bind(Text.Replace("conv(width)", "conv(width * 2)"), "Net").ShouldNotBe(Bind(Text, "Net"));
    }

    [Fact]
    public void Layer_arguments_are_matched_with_the_catalogue_defaults_and_the_bias_decided()
    {
        var block = (BoundBlock)Bind(Text, "Unit");
        var conv = (BoundBuiltinLayer)block.Body.Statements[0];
        conv.Arguments.Select(a => a.Parameter).ShouldBe(LayerCatalogue.Layers["conv"].ParameterNames);
        conv["out"].Value.ShouldBe(new BoundVariableReference(block.Parameters[0].Variable));
        conv["k"].ShouldBe(new BoundLayerArgument("k", BoundType.Int, new BoundIntLiteral(3), IsGiven: true));
        conv["pad"].Value.ShouldBe(new BoundIntLiteral(1)); // dilation * (k - 1) / 2, folded
        conv["groups"].Value.ShouldBe(new BoundIntLiteral(1));
        conv["bias"].Value.ShouldBe(new BoundBoolLiteral(false)); // bn follows

        var network = (BoundNetwork)Bind(Text, "Net");
        var first = (BoundBuiltinLayer)network.Body.Statements[1];
        first["k"].ShouldBe(new BoundLayerArgument("k", BoundType.Int, new BoundIntLiteral(1), IsGiven: false));
        first["bias"].Value.ShouldBe(new BoundBoolLiteral(true)); // relu follows
    }

    [Fact]
    public void A_block_use_has_a_value_for_every_parameter_and_features_flatten_for_bn()
    {
        var network = (BoundNetwork)Bind(Text, "Net");
        var use = network.Body.Statements.OfType<BoundBlockUse>().Single();
        use.Label.ShouldBe("down");
        use.Arguments.ShouldBe([
            new BoundBlockArgument("out", BoundType.Int, new BoundIntLiteral(32), SourceOrder: 0, IsNamed: false),
            new BoundBlockArgument("s", BoundType.Int, new BoundIntLiteral(2), SourceOrder: 1, IsNamed: true),
        ]);
        var pool = network.Body.Statements.OfType<BoundBuiltinLayer>().Single(l => l.Name == "avgpool");
        pool.IsGlobalPooling.ShouldBeTrue();
        pool.Module.ShouldBe("TorchSharp.Modules.AdaptiveAvgPool2d");
        network.Body.Statements.OfType<BoundBuiltinLayer>().Single(l => l.Name == "linear").InputIsFlat.ShouldBeTrue();
    }
}
