using NetDsl.Syntax;
using static NetDsl.Language.Tests.Parsing.ParseHelper;

namespace NetDsl.Language.Tests.Parsing;

public class ExpressionTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "(1 + (2 * 3))")]
    [InlineData("1 - 2 - 3", "((1 - 2) - 3)")]
    [InlineData("a * b / c div d % e", "((((a * b) / c) div d) % e)")]
    [InlineData("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))")]
    [InlineData("-2 ^ 2", "(-(2 ^ 2))")]
    [InlineData("2 ^ -1", "(2 ^ (-1))")]
    [InlineData("!a && b || c", "(((!a) && b) || c)")]
    [InlineData("a || b && c", "(a || (b && c))")]
    [InlineData("a == b != c", "((a == b) != c)")]
    [InlineData("a < b == c >= d", "((a < b) == (c >= d))")]
    [InlineData("a <= b + 1", "(a <= (b + 1))")]
    [InlineData("a > b ? 1 : 2", "((a > b) ? 1 : 2)")]
    [InlineData("a ? b : c ? d : e", "(a ? b : (c ? d : e))")]
    [InlineData("a ? b ? 1 : 2 : 3", "(a ? (b ? 1 : 2) : 3)")]
    [InlineData("(1 + 2) * 3", "((1 + 2) * 3)")]
    [InlineData("- - x", "(-(-x))")]
    [InlineData("in * 2 + channels", "((in * 2) + channels)")]
    [InlineData("divisible(x, 8, min: 16)", "divisible(x, 8, min: 16)")]
    [InlineData("max(1.0, width) * 2", "(max(1.0, width) * 2)")]
    [InlineData("t[0][1] + 1", "(t[0][1] + 1)")]
    [InlineData("table[i + 1]", "table[(i + 1)]")]
    [InlineData("(1, 16, 1, 1)", "<1, 16, 1, 1>")]
    [InlineData("[(3, relu), (5, hswish)]", "[<3, relu>, <5, hswish>]")]
    [InlineData("[]", "[]")]
    [InlineData("[1, 2,]", "[1, 2]")]
    [InlineData("true && !false", "(true && (!false))")]
    [InlineData("1e-3 + 2.5E+2", "(1e-3 + 2.5E+2)")]
    [InlineData("f()", "f()")]
    public void Precedence_and_associativity_follow_the_table(string source, string expected) =>
        Render(Expr(source)).ShouldBe(expected);

    [Fact]
    public void Number_literals_keep_kind_value_and_text()
    {
        var integer = (NumberLiteral)Expr("42");
        (integer.Value, integer.IsInteger, integer.Text).ShouldBe((42.0, true, "42"));
        var real = (NumberLiteral)Expr("0.5");
        (real.Value, real.IsInteger).ShouldBe((0.5, false));
        var exponent = (NumberLiteral)Expr("1e3");
        (exponent.Value, exponent.IsInteger).ShouldBe((1000.0, false));
    }

    [Theory]
    [InlineData("out div 4", "(out div 4)")]
    [InlineData("planes * width div 64 + 1", "(((planes * width) div 64) + 1)")]
    [InlineData("out div 4 // a comment", "(out div 4)")]
    [InlineData("divisible(c * width, 8)       // the paper's width multiplier", "divisible((c * width), 8)")]
    [InlineData("max(1, c div reduce)", "max(1, (c div reduce))")]
    [InlineData("x // note", "x")]
    [InlineData("max(1, in div 4)", "max(1, (in div 4))")]
    [InlineData("divisor div 2", "(divisor div 2)")]
    public void Div_is_floor_division_and_double_slash_always_starts_a_comment(string source, string expected) =>
        Render(Expr(source)).ShouldBe(expected);

    [Fact]
    public void Floor_division_before_a_body_brace_is_division()
    {
        var repeat = (RepeatStatement)Statements("repeat n div 2 { conv(8) bn relu }")[0];
        Render(repeat.Count).ShouldBe("(n div 2)");
        repeat.Body.Statements.Count.ShouldBe(3);
    }

    [Fact]
    public void Div_is_a_keyword_not_a_name()
    {
        var result = NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText("t.nn", "block B(div: int = 1) { conv(8) }"));
        result.Diagnostics.ShouldContain(d => d.Code == "NN0004");
    }

    [Fact]
    public void In_is_a_name_in_expressions_but_a_keyword_in_for()
    {
        var loop = (ForStatement)Statements("for i in in..in * 2 { conv(i) }")[0];
        Render(loop.Source).ShouldBe("in..(in * 2)");
        loop.Pattern.Names.Single().Text.ShouldBe("i");
    }

    [Fact]
    public void Expression_spans_cover_their_text()
    {
        const string text = "block B {\n  let v = a + max(b, 2) * c\n}";
        var tree = ParseClean(text);
        var let = (LetStatement)((BlockDeclaration)tree.Declarations[0]).Body.Statements[0];
        var sum = (BinaryExpression)let.Value;
        tree.Source.ToString(sum.Span).ShouldBe("a + max(b, 2) * c");
        var product = (BinaryExpression)sum.Right;
        tree.Source.ToString(product.Span).ShouldBe("max(b, 2) * c");
        var call = (CallExpression)product.Left;
        tree.Source.ToString(call.Span).ShouldBe("max(b, 2)");
        Where(tree, call.Function.Span).ShouldBe((2, 15));
        Where(tree, call.Arguments[1].Value.Span).ShouldBe((2, 22));
        tree.Source.ToString(let.Span).ShouldBe("let v = a + max(b, 2) * c");
    }

    [Fact]
    public void Parenthesised_tuple_and_unary_spans_include_their_brackets_and_operator()
    {
        const string text = "block B {\n  let v = [(1, 2), -x]\n}";
        var tree = ParseClean(text);
        var list = (ListExpression)((LetStatement)((BlockDeclaration)tree.Declarations[0]).Body.Statements[0]).Value;
        tree.Source.ToString(list.Span).ShouldBe("[(1, 2), -x]");
        tree.Source.ToString(list.Items[0].Span).ShouldBe("(1, 2)");
        tree.Source.ToString(list.Items[1].Span).ShouldBe("-x");
    }
}
