namespace NetDsl.Emit
{
    /// <summary>A translated expression: its C# text, its type, and how tightly it binds (to parenthesise only where needed).</summary>
    internal sealed record Typed(string Code, DslType Type, int Precedence, bool IsConstant)
    {
        public const int Conditional = 1, Or = 2, And = 3, Equality = 4, Relational = 5, Additive = 6, Multiplicative = 7, Unary = 8, Primary = 9;

        public string Wrapped(int context) => Precedence < context ? "(" + Code + ")" : Code;
    }
}
