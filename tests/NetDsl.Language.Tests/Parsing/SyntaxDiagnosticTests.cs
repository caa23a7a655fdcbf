using NetDsl.Diagnostics;
using static NetDsl.Language.Tests.Parsing.ParseHelper;

namespace NetDsl.Language.Tests.Parsing;

public class SyntaxDiagnosticTests
{
    private static Diagnostic Single(string text)
    {
        var diagnostics = Parse(text).Diagnostics;
        diagnostics.Count.ShouldBe(1, string.Join("\n", diagnostics));
        return diagnostics[0];
    }

    private static void ShouldBe(Diagnostic diagnostic, string code, int line, int column, string message)
    {
        diagnostic.ToString().ShouldBe($"test.nn({line},{column}): error {code}: {message}");
        diagnostic.Code.ShouldBe(code);
        diagnostic.IsError.ShouldBeTrue();
    }

    [Fact]
    public void NN0001_unclosed_argument_list_names_the_layer_and_what_was_found()
    {
        var diagnostic = Single("network N {\n  input 3x8x8\n  conv(32, k: 3 { bn }\n}");
        ShouldBe(diagnostic, "NN0001", 3, 17, "expected ',' or ')' to close the argument list of conv (opened at line 3), found '{'");
        diagnostic.Location.Span.Length.ShouldBe(1);
    }

    [Fact]
    public void NN0001_missing_operand_points_after_the_operator()
    {
        ShouldBe(Single("block B {\n  let a = 3 +\n}"), "NN0001", 3, 1, "expected an expression, found '}'");
    }

    [Fact]
    public void NN0001_unclosed_body_at_end_of_file()
    {
        var diagnostic = Single("block B {\n  conv(8)\n");
        ShouldBe(diagnostic, "NN0001", 3, 1,
            "expected '}' to close the body of block B (opened at line 1), found the end of the file");
    }

    [Fact]
    public void NN0001_wrong_parameter_type()
    {
        ShouldBe(Single("block B(n: string) { }"), "NN0001", 1, 12, "expected a type (int, float or bool), found 'string'");
    }

    [Fact]
    public void NN0001_top_level_text_that_is_not_a_declaration()
    {
        ShouldBe(Single("conv(8)\nblock B { }"), "NN0001", 1, 1, "expected a declaration ('network', 'block' or 'variant'), found 'conv'");
    }

    [Fact]
    public void NN0002_stray_character()
    {
        ShouldBe(Single("block B {\n  conv(8);\n}"), "NN0002", 2, 10,
            "unexpected character ';' (U+003B), which is not part of the language; expected a statement (a layer such as conv(32), a block, let, for, repeat, if, parallel, split, residual, dense, input, -> name, from, add, concat, fuse, resize, inputs or outputs) or '}' to close the body of block B (opened at line 1)");
    }

    [Fact]
    public void NN0003_unterminated_block_comment_is_reported_once()
    {
        ShouldBe(Single("block B {\n  conv(8) /* never closed\n  bn\n}\n"), "NN0003", 2, 11,
            "block comment '/*' is never closed with '*/': everything after it, to the end of the file, is ignored");
    }

    [Fact]
    public void NN0004_keyword_as_name()
    {
        ShouldBe(Single("block B {\n  let for = 3\n}"), "NN0004", 2, 7, "'for' is a keyword and cannot be used as a name after 'let'; choose another name, e.g. 'for_'");
        ShouldBe(Single("block B {\n  conv(8) as input\n}"), "NN0004", 2, 14, "'input' is a keyword and cannot be used as a name after 'as'; choose another name, e.g. 'input_'");
    }

    [Fact]
    public void NN0005_integer_beyond_two_to_the_31_is_reported_and_the_declaration_kept()
    {
        var result = Parse("block B {\n  conv(2147483648)\n  conv(2147483647)\n}");
        result.Tree.Declarations.Count.ShouldBe(1);
        ShouldBe(result.Diagnostics.Single(), "NN0005", 2, 8, "integer literal 2147483648 is too large: integers must lie within ±2^31 (at most 2147483647)");
    }

    [Fact]
    public void NN0006_float_literal_out_of_range()
    {
        ShouldBe(Single("block B { dropout(1e999) }"), "NN0006", 1, 19, "float literal 1e999 is too large to represent (a float is at most about 1.8e308)");
    }

    [Fact]
    public void NN0007_nesting_deeper_than_64()
    {
        string deep = new string('(', 65) + "1" + new string(')', 65);
        ShouldBe(Single("block B {\n  let a = " + deep + "\n}"), "NN0007", 2, 74, "this '(' is nested more than 64 levels deep; split it with 'let' values or blocks");
        string fine = new string('(', 60) + "1" + new string(')', 60);
        Parse("block B {\n  let a = " + fine + "\n}").Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void NN0007_long_operator_chains_and_else_if_chains_count_as_nesting()
    {
        string sum = string.Join(" + ", Enumerable.Repeat("1", 70));
        Single("block B { let a = " + sum + " }").Code.ShouldBe("NN0007");
        string chain = "if a { bn }" + string.Concat(Enumerable.Repeat(" else if a { bn }", 70));
        Single("block B { " + chain + " }").Code.ShouldBe("NN0007");
    }

    [Fact]
    public void NN0008_space_between_layer_and_arguments()
    {
        ShouldBe(Single("block B {\n  conv (32)\n}"), "NN0008", 2, 8, "'(' must follow the layer name directly: write 'conv(' instead of 'conv ('");
    }
}
