namespace NetDsl.Syntax
{
    public abstract record Expression(TextSpan Span);

    /// <summary><c>42</c> (integer) or <c>0.5</c>, <c>1e-3</c> (float), kept with the text as written.</summary>
    public sealed record NumberLiteral(double Value, bool IsInteger, string Text, TextSpan Span) : Expression(Span);

    public sealed record BooleanLiteral(bool Value, TextSpan Span) : Expression(Span);

    /// <summary>A name: a parameter, let, loop variable, activation, or the implicit <c>in</c> and <c>channels</c>.</summary>
    public sealed record NameExpression(Identifier Name) : Expression(Name.Span);

    public enum UnaryOperator
    {
        Negate,
        Not,
    }

    public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand, TextSpan Span) : Expression(Span);

    public enum BinaryOperator
    {
        Add,
        Subtract,
        Multiply,
        Divide,
        FloorDivide,
        Modulo,
        Power,
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        And,
        Or,
    }

    public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, TextSpan Span) : Expression(Span);

    /// <summary><c>condition ? whenTrue : whenFalse</c></summary>
    public sealed record ConditionalExpression(Expression Condition, Expression WhenTrue, Expression WhenFalse, TextSpan Span)
        : Expression(Span);

    /// <summary><c>divisible(x, 8)</c>, <c>ch(32)</c>: a built-in or let function.</summary>
    public sealed record CallExpression(Identifier Function, EquatableArray<Argument> Arguments, TextSpan Span) : Expression(Span);

    /// <summary><c>table[0]</c></summary>
    public sealed record IndexExpression(Expression Target, Expression Index, TextSpan Span) : Expression(Span);

    /// <summary><c>(1, 16, 1, 1)</c>: two or more items.</summary>
    public sealed record TupleExpression(EquatableArray<Expression> Items, TextSpan Span) : Expression(Span);

    /// <summary><c>[a, b, c]</c></summary>
    public sealed record ListExpression(EquatableArray<Expression> Items, TextSpan Span) : Expression(Span);

    /// <summary><c>a..b</c>, both ends included (only as a <c>for</c> source).</summary>
    public sealed record RangeExpression(Expression From, Expression To, TextSpan Span) : Expression(Span);
}
