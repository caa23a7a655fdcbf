using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Checking;

/// <summary>What the emitter reads: layer targets, name symbols, declarations and the bias: auto rule.</summary>
public class SemanticModelTests
{
    private const string Source = """
        network Net(width: float = 1.0) {
            input 3x32x32
            let ch(c) = divisible(c * width, 8)
            conv(ch(16), k: 3) bn relu
            for (k, act) in [(3, relu), (5, hswish)] { conv(16, k: k) act }
            Unit(in)
            conv(8)
        }
        block Unit(out: int) { conv(out) bn }
        variant Wide = Net(width: 2.0)
        """;

    [Fact]
    public void Layers_resolve_to_builtins_blocks_and_activation_variables()
    {
        var result = Check.Clean(Source);
        var network = result.Model.Networks["Net"];
        var layers = AllLayers(network.Body).ToList();

        result.Model.GetLayerTarget(layers[0]).ShouldBe(new BuiltinLayerTarget(BuiltinLayerKind.Conv, "conv"));
        result.Model.GetLayerTarget(layers[2]).ShouldBe(new BuiltinLayerTarget(BuiltinLayerKind.Activation, "relu"));
        var act = result.Model.GetLayerTarget(layers[4]).ShouldBeOfType<ActivationVariableTarget>();
        act.Variable.Kind.ShouldBe(SymbolKind.LoopVariable);
        act.Variable.Type.ShouldBe(DslType.Activation);
        result.Model.GetLayerTarget(layers[5]).ShouldBeOfType<BlockLayerTarget>().Block.ShouldBeSameAs(result.Model.Blocks["Unit"]);
    }

    [Fact]
    public void Bias_auto_follows_the_next_statement_of_the_same_body()
    {
        var result = Check.Clean(Source);
        var layers = AllLayers(result.Model.Networks["Net"].Body).ToList();

        result.Model.GetAutoBias(layers[0]).ShouldBe(false);   // conv ... bn
        result.Model.GetAutoBias(layers[3]).ShouldBe(true);    // conv(16, k: k) act
        result.Model.GetAutoBias(layers[6]).ShouldBe(true);    // last conv of the body
        result.Model.GetAutoBias(layers[1]).ShouldBeNull();    // bn has no bias argument
        // 16*3*3*3 weights without bias, then 16*16*9 + 16 with bias (in the first pass of the loop).
        var report = result.Network("Net");
        report.Layer("0").Parameters.ShouldBe(16 * 27);
        report.Layer("3").Parameters.ShouldBe(16 * 16 * 9 + 16);
    }

    [Fact]
    public void Names_resolve_to_parameters_lets_functions_loop_variables_and_in()
    {
        var result = Check.Clean(Source);
        var network = result.Model.Networks["Net"];
        var names = AllNames(network.Body).ToDictionary(n => n.Name.Text, n => result.Model.GetSymbol(n)!);

        names["width"].Kind.ShouldBe(SymbolKind.Parameter);
        names["c"].Kind.ShouldBe(SymbolKind.FunctionParameter);
        names["k"].Kind.ShouldBe(SymbolKind.LoopVariable);
        names["relu"].Kind.ShouldBe(SymbolKind.Activation);
        names["in"].Kind.ShouldBe(SymbolKind.In);
        var call = AllCalls(network.Body).First(c => c.Function.Text == "ch");
        result.Model.GetSymbol(call)!.Kind.ShouldBe(SymbolKind.Function);
        result.Model.GetSymbol(AllCalls(network.Body).First(c => c.Function.Text == "divisible"))!.Kind.ShouldBe(SymbolKind.BuiltinFunction);
        names["width"].Declaration.ShouldBeSameAs(network.Parameters[0].Name);
    }

    [Fact]
    public void Variants_know_their_network_and_are_reported_separately()
    {
        var result = Check.Clean(Source);

        result.Model.Variants["Wide"].Target.ShouldBeSameAs(result.Model.Networks["Net"]);
        result.Network("Wide").Layer("0").Output!.Channels.ShouldBe(32);
        result.Network("Net").Layer("0").Output!.Channels.ShouldBe(16);
        result.Model.GetTree(result.Model.Blocks["Unit"])!.Source.Path.ShouldBe("file0.nn");
    }

    private static IEnumerable<LayerStatement> AllLayers(Body body) => Statements(body).OfType<LayerStatement>();

    private static IEnumerable<Statement> Statements(Body body)
    {
        foreach (var statement in body.Statements)
        {
            yield return statement;
            var inner = statement switch
            {
                ForStatement loop => loop.Body,
                RepeatStatement repeat => repeat.Body,
                _ => null,
            };
            if (inner is not null)
            {
                foreach (var nested in Statements(inner))
                    yield return nested;
            }
        }
    }

    private static IEnumerable<Expression> Expressions(Body body) => Statements(body).SelectMany(s => s switch
    {
        LetStatement let => new[] { let.Value },
        FunctionStatement function => new[] { function.Body },
        LayerStatement layer => (layer.Arguments ?? EquatableArray<Argument>.Empty).Select(a => a.Value),
        ForStatement loop => new[] { loop.Source },
        _ => Enumerable.Empty<Expression>(),
    }).SelectMany(Flatten);

    private static IEnumerable<Expression> Flatten(Expression expression)
    {
        yield return expression;
        var children = expression switch
        {
            BinaryExpression binary => new[] { binary.Left, binary.Right },
            CallExpression call => call.Arguments.Select(a => a.Value).ToArray(),
            ListExpression list => list.Items.ToArray(),
            TupleExpression tuple => tuple.Items.ToArray(),
            _ => Array.Empty<Expression>(),
        };
        foreach (var child in children.SelectMany(Flatten))
            yield return child;
    }

    private static IEnumerable<NameExpression> AllNames(Body body) => Expressions(body).OfType<NameExpression>();

    private static IEnumerable<CallExpression> AllCalls(Body body) => Expressions(body).OfType<CallExpression>();
}
