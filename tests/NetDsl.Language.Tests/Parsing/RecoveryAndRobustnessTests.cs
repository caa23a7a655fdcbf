using System.Diagnostics;
using System.Text;
using CsCheck;
using NetDsl.Syntax;
using static NetDsl.Language.Tests.Parsing.ParseHelper;

namespace NetDsl.Language.Tests.Parsing;

public class RecoveryAndRobustnessTests
{
    [Fact]
    public void Three_broken_declarations_give_three_diagnostics_and_the_good_ones_between_them_parse()
    {
        const string text = """
            block Broken1 {
                conv(32, k: 3 { bn }
            }
            block Good1 { conv(8) bn }
            network Broken2(width: float = ) {
                input 3x8x8
            }
            variant Good2 = Good1Net(width: 0.5)
            block Broken3 {
                let x = [1, 2
            }
            network Good3 { input 1x4x4 conv(4) }
            """;
        var result = Parse(text);
        result.Diagnostics.Select(d => d.ToString()).ShouldBe(new[]
        {
            "test.nn(2,19): error NN0001: expected ',' or ')' to close the argument list of conv (opened at line 2), found '{'",
            "test.nn(5,32): error NN0001: expected an expression, found ')'",
            "test.nn(11,1): error NN0001: expected ',' or ']' to close the list opened at line 10, found '}'",
        });
        result.Tree.Declarations.Select(d => d.Name.Text).ShouldBe(new[] { "Good1", "Good2", "Good3" });
    }

    [Fact]
    public void A_missing_closing_brace_resumes_at_the_next_declaration_on_the_failing_line()
    {
        var result = Parse("block A {\n  conv(8)\nblock B { bn }\n");
        result.Diagnostics.Single().ToString().ShouldStartWith("test.nn(3,1): error NN0001: expected ");
        result.Tree.Declarations.Single().Name.Text.ShouldBe("B");
    }

    [Fact]
    public void Hundred_thousand_nested_parentheses_are_rejected_quickly_without_stack_overflow()
    {
        string text = "block B { let a = " + new string('(', 100_000) + "1" + new string(')', 100_000) + " }";
        var watch = Stopwatch.StartNew();
        var result = Parse(text);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        result.Diagnostics.Single().Code.ShouldBe("NN0007");
    }

    [Theory]
    [InlineData("[", "1", "]")]
    [InlineData("g: { ", "bn", " }")]
    [InlineData("repeat 2 { ", "bn", " }")]
    [InlineData("- ", "1", "")]
    [InlineData("2 ^ ", "1", "")]
    [InlineData("a ? b : ", "1", "")]
    [InlineData("f(", "1", ")")]
    public void Deep_nesting_of_every_kind_is_rejected_with_NN0007(string open, string inner, string close)
    {
        bool statements = open.EndsWith("{ ");
        string text = (statements ? "block B { " : "block B { let a = ")
            + string.Concat(Enumerable.Repeat(open, 100_000)) + inner + string.Concat(Enumerable.Repeat(close, 100_000)) + " }";
        var watch = Stopwatch.StartNew();
        var result = Parse(text);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        result.Diagnostics.Select(d => d.Code).ShouldBe(new[] { "NN0007" });
    }

    [Fact]
    public void Ten_megabytes_of_layers_are_handled_quickly()
    {
        var repeated = new StringBuilder(10_000_000);
        while (repeated.Length < 10_000_000)
            repeated.Append("conv(8) ");
        string layers = repeated.ToString();

        var watch = Stopwatch.StartNew();
        var topLevel = Parse(layers);
        topLevel.Diagnostics.Single().Message.ShouldBe("expected a declaration ('network', 'block' or 'variant'), found 'conv'");

        var inBody = Parse("network N {\n input 1x8x8\n" + layers + "\n}");
        inBody.Diagnostics.ShouldBeEmpty();
        ((NetworkDeclaration)inBody.Tree.Declarations.Single()).Body.Statements.Count.ShouldBe(1 + layers.Length / 8);
        // About 9 s in Debug on 2 busy cores; the bound leaves room for a loaded CI machine.
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Parsing_twenty_five_networks_takes_milliseconds()
    {
        string zoo = string.Concat(Enumerable.Range(0, 25).Select(i =>
            DocumentExamplesTests.MobileNetV2.Replace("MobileNetV2", "Net" + i).Replace("InvertedResidual", "Block" + i) + "\n"));
        Parse(zoo).Diagnostics.ShouldBeEmpty();
        // The fastest of ten runs measures the parser rather than the load of the machine running the tests.
        double fastest = Enumerable.Range(0, 10).Min(_ =>
        {
            var watch = Stopwatch.StartNew();
            Parse(zoo);
            return watch.Elapsed.TotalMilliseconds;
        });
        fastest.ShouldBeLessThan(50);
    }

    private static readonly string[] ValidExamples =
        { DocumentExamplesTests.MobileNetV2, DocumentExamplesTests.Tiny, DocumentExamplesTests.MultiPath };

    private static void ParsesWithinBounds(string text)
    {
        var watch = Stopwatch.StartNew();
        var result = Parse(text);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1), text);
        result.Diagnostics.ShouldNotContain(d => d.Code == "NN0099", text);
        foreach (var diagnostic in result.Diagnostics)
            diagnostic.Location.Span.End.ShouldBeLessThanOrEqualTo(text.Length);
    }

    [Fact]
    public void Random_strings_never_throw_and_always_return()
    {
        var characters = Gen.OneOf(Gen.Char["(){}[],:?=!<>+-*/%^.&|x \n"], Gen.Char.AlphaNumeric, Gen.Char);
        Gen.String[characters, 0, 300].Sample(ParsesWithinBounds, iter: 3000, threads: 1);
    }

    [Fact]
    public void Random_mutations_of_the_valid_examples_never_throw_and_always_return()
    {
        var mutation =
            from example in Gen.Int[0, ValidExamples.Length - 1]
            from edits in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.Char["(){}[],:?=!<>+-*/%^.x /\n\"a1"]).Array[1, 6]
            select Mutate(ValidExamples[example], edits);
        mutation.Sample(ParsesWithinBounds, iter: 2000, threads: 1);
    }

    private static string Mutate(string text, (int Kind, int Position, char Character)[] edits)
    {
        var builder = new StringBuilder(text);
        foreach (var (kind, position, character) in edits)
        {
            if (builder.Length == 0)
                break;
            int at = position % builder.Length;
            switch (kind)
            {
                case 0:
                    builder.Remove(at, 1);
                    break;
                case 1:
                    builder.Insert(at, character);
                    break;
                default:
                    int other = (at + 1 + position / 7) % builder.Length;
                    (builder[at], builder[other]) = (builder[other], builder[at]);
                    break;
            }
        }
        return builder.ToString();
    }
}
