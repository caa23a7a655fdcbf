using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Parsing;

internal static class ParseHelper
{
    public static ParseResult Parse(string text, string path = "test.nn") => Parser.Parse(new SourceText(path, text));

    /// <summary>Parses a file that must have no diagnostics.</summary>
    public static SyntaxTree ParseClean(string text)
    {
        var result = Parse(text);
        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        return result.Tree;
    }

    /// <summary>The statements of a one-block file <c>block B { ... }</c>.</summary>
    public static EquatableArray<Statement> Statements(string body) =>
        ((BlockDeclaration)ParseClean("block B {\n" + body + "\n}").Declarations[0]).Body.Statements;

    /// <summary>The value of <c>let v = ...</c>.</summary>
    public static Expression Expr(string expression) =>
        ((LetStatement)Statements("let v = " + expression)[0]).Value;

    /// <summary>A compact rendering of an expression tree, to assert precedence and associativity.</summary>
    public static string Render(Expression expression) => expression switch
    {
        NumberLiteral n => n.Text,
        BooleanLiteral b => b.Value ? "true" : "false",
        NameExpression n => n.Name.Text,
        UnaryExpression u => $"({u.Operator.Text()}{Render(u.Operand)})",
        BinaryExpression b => $"({Render(b.Left)} {b.Operator.Text()} {Render(b.Right)})",
        ConditionalExpression c => $"({Render(c.Condition)} ? {Render(c.WhenTrue)} : {Render(c.WhenFalse)})",
        CallExpression c => $"{c.Function.Text}({string.Join(", ", c.Arguments.Select(a => (a.Name is null ? "" : a.Name.Text + ": ") + Render(a.Value)))})",
        IndexExpression i => $"{Render(i.Target)}[{Render(i.Index)}]",
        TupleExpression t => $"<{string.Join(", ", t.Items.Select(Render))}>",
        ListExpression l => $"[{string.Join(", ", l.Items.Select(Render))}]",
        RangeExpression r => $"{Render(r.From)}..{Render(r.To)}",
        _ => expression.GetType().Name,
    };

    /// <summary>The one-based (line, column) where a span starts.</summary>
    public static (int Line, int Column) Where(SyntaxTree tree, TextSpan span)
    {
        var position = tree.Source.GetLinePosition(span.Start);
        return (position.Line + 1, position.Column + 1);
    }
}
