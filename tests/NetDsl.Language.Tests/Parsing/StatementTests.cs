using NetDsl.Syntax;
using static NetDsl.Language.Tests.Parsing.ParseHelper;

namespace NetDsl.Language.Tests.Parsing;

public class StatementTests
{
    [Fact]
    public void Input_shapes_accept_numbers_spaced_names_and_parentheses()
    {
        var shapes = Statements("input 3x224x224\ninput 3 x res x res\ninput 3x(res)x(res * 2)")
            .Cast<InputStatement>().Select(i => $"{Render(i.Shape.Channels)}|{Render(i.Shape.Height)}|{Render(i.Shape.Width)}");
        shapes.ShouldBe(new[] { "3|224|224", "3|res|res", "3|res|(res * 2)" });
    }

    [Fact]
    public void Layers_with_and_without_arguments_and_labels()
    {
        var layers = Statements("conv(32, k: 3) as stem bn relu\nInvertedResidual(24, expand: 6)\nlinear()").Cast<LayerStatement>().ToList();
        layers.Select(l => l.Name.Text).ShouldBe(new[] { "conv", "bn", "relu", "InvertedResidual", "linear" });
        layers[0].Label!.Text.ShouldBe("stem");
        layers[0].Arguments!.Value.Select(a => a.Name?.Text).ShouldBe(new string?[] { null, "k" });
        layers[1].Arguments.ShouldBeNull();
        layers[4].Arguments!.Value.Count.ShouldBe(0);
    }

    [Fact]
    public void Let_values_and_functions()
    {
        var statements = Statements("let a = 3\nlet f(x, y) = x * y + a\nlet g() = 1");
        ((LetStatement)statements[0]).Name.Text.ShouldBe("a");
        var f = (FunctionStatement)statements[1];
        f.Parameters.Select(p => p.Text).ShouldBe(new[] { "x", "y" });
        Render(f.Body).ShouldBe("((x * y) + a)");
        ((FunctionStatement)statements[2]).Parameters.Count.ShouldBe(0);
    }

    [Fact]
    public void Repeat_dense_and_for_with_and_without_index()
    {
        var statements = Statements("repeat 2 { bn }\nrepeat n as i { bn }\ndense 6 as j { conv(32) }\ndense 4 { bn }\nfor x in 1..3 { bn }\nfor (k, act) in [(3, relu)] { act }");
        ((RepeatStatement)statements[0]).Index.ShouldBeNull();
        ((RepeatStatement)statements[1]).Index!.Text.ShouldBe("i");
        ((DenseStatement)statements[2]).Index!.Text.ShouldBe("j");
        Render(((DenseStatement)statements[3]).Count).ShouldBe("4");
        Render(((ForStatement)statements[4]).Source).ShouldBe("1..3");
        var tuple = (ForStatement)statements[5];
        tuple.Pattern.IsTuple.ShouldBeTrue();
        tuple.Pattern.Names.Select(n => n.Text).ShouldBe(new[] { "k", "act" });
    }

    [Fact]
    public void Else_if_chains_nest_an_if_in_the_else_body()
    {
        var branch = (IfStatement)Statements("if a { bn } else if b { relu } else { relu6 }")[0];
        var elseIf = (IfStatement)branch.Else!.Statements.Single();
        Render(elseIf.Condition).ShouldBe("b");
        ((LayerStatement)elseIf.Else!.Statements.Single()).Name.Text.ShouldBe("relu6");
        branch.Else.Span.ShouldBe(elseIf.Span);
    }

    [Fact]
    public void Parallel_split_and_paths()
    {
        var statements = Statements("parallel add { path { } path skip { conv(8) } }\nsplit { path { } path { conv(8) bn } }\nparallel concat { path { bn } }");
        var add = (ParallelStatement)statements[0];
        add.Merge.ShouldBe(MergeKind.Add);
        var paths = add.Paths.Statements.Cast<PathStatement>().ToList();
        paths[0].Body.Statements.Count.ShouldBe(0);
        paths[1].Label!.Text.ShouldBe("skip");
        ((SplitStatement)statements[1]).Paths.Statements.Count.ShouldBe(2);
        ((ParallelStatement)statements[2]).Merge.ShouldBe(MergeKind.Concat);
    }

    [Fact]
    public void Residual_with_options_and_condition()
    {
        var statements = Statements("residual { bn }\nresidual(project: true) { conv(64, s: 2) bn }\nresidual when s == 1 { bn }\nresidual(project: true) when in != 4 { bn }");
        var plain = (ResidualStatement)statements[0];
        (plain.Options.Count, plain.When).ShouldBe((0, (Expression?)null));
        var projected = (ResidualStatement)statements[1];
        projected.Options.Single().Name!.Text.ShouldBe("project");
        ((BooleanLiteral)projected.Options.Single().Value).Value.ShouldBeTrue();
        Render(((ResidualStatement)statements[2]).When!).ShouldBe("(s == 1)");
        var both = (ResidualStatement)statements[3];
        (both.Options.Count, Render(both.When!)).ShouldBe((1, "(in != 4)"));
    }

    [Fact]
    public void Groups_hold_statements_under_a_label()
    {
        var group = (GroupStatement)Statements("stage1: {\n conv(8)\n stem : { bn }\n}")[0];
        group.Label.Text.ShouldBe("stage1");
        ((GroupStatement)group.Body.Statements[1]).Label.Text.ShouldBe("stem");
    }

    [Fact]
    public void Comments_are_ignored_everywhere()
    {
        var statements = Statements("/* a\n block */ conv(/* inline */ 8) // end\n// whole line\nbn");
        statements.Cast<LayerStatement>().Select(l => l.Name.Text).ShouldBe(new[] { "conv", "bn" });
    }

    [Fact]
    public void Declarations_without_parameter_lists_and_variants_without_arguments()
    {
        var tree = ParseClean("block Stem { conv(8) }\nnetwork N() { input 1x8x8 Stem }\nvariant V = N");
        ((BlockDeclaration)tree.Declarations[0]).Parameters.Count.ShouldBe(0);
        var variant = (VariantDeclaration)tree.Declarations[2];
        (variant.Target.Text, variant.Arguments.Count).ShouldBe(("N", 0));
        tree.Source.ToString(variant.Span).ShouldBe("variant V = N");
    }

    [Fact]
    public void Empty_and_comment_only_files_have_no_declarations_and_no_diagnostics()
    {
        ParseClean("").Declarations.Count.ShouldBe(0);
        ParseClean("  // nothing here\n/* at all */\n").Declarations.Count.ShouldBe(0);
    }

    [Fact]
    public void Identifier_and_statement_spans_give_exact_lines_and_columns()
    {
        var tree = ParseClean(DocumentExamplesTests.MobileNetV2);
        var network = (NetworkDeclaration)tree.Declarations[0];
        Where(tree, network.Span).ShouldBe((2, 1));
        Where(tree, network.Name.Span).ShouldBe((2, 9));
        Where(tree, network.Parameters[1].Name.Span).ShouldBe((2, 41));
        Where(tree, network.Parameters[1].TypeSpan).ShouldBe((2, 50));
        tree.Source.ToString(network.Parameters[1].Span).ShouldBe("classes: int = 1000");
        var input = (InputStatement)network.Body.Statements[0];
        Where(tree, input.Span).ShouldBe((3, 5));
        tree.Source.ToString(input.Span).ShouldBe("input 3x224x224");
        tree.Source.ToString(input.Shape.Span).ShouldBe("3x224x224");
        var conv = (LayerStatement)network.Body.Statements[2];
        tree.Source.ToString(conv.Span).ShouldBe("conv(ch(32), k: 3, s: 2)");
        Where(tree, conv.Arguments!.Value[1].Name!.Span).ShouldBe((6, 18));
        var loop = (ForStatement)network.Body.Statements[5];
        Where(tree, loop.Pattern.Names[3].Span).ShouldBe((7, 19));
        tree.Source.ToString(loop.Pattern.Span).ShouldBe("(t, c, n, s)");
        Where(tree, loop.Body.Span).ShouldBe((7, 112));
        tree.Source.ToString(network.Span).ShouldStartWith("network MobileNetV2(");
        tree.Source.ToString(network.Span).ShouldEndWith("linear(classes)\n}");

        var variant = (VariantDeclaration)tree.Declarations[3];
        tree.Source.ToString(variant.Span).ShouldBe("variant MobileNetV2_Cifar = MobileNetV2(classes: 10) { input 3x32x32 }");
        Where(tree, variant.Target.Span).ShouldBe((23, 29));
    }

    [Fact]
    public void Labelled_layer_span_ends_at_the_label()
    {
        var tree = ParseClean("block B { conv(32, k: 3, s: 2) as down bn }");
        var conv = (LayerStatement)((BlockDeclaration)tree.Declarations[0]).Body.Statements[0];
        tree.Source.ToString(conv.Span).ShouldBe("conv(32, k: 3, s: 2) as down");
        tree.Source.ToString(conv.Label!.Span).ShouldBe("down");
    }
}
