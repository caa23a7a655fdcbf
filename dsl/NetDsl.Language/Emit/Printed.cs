namespace NetDsl.Emit
{
    /// <summary>A printed expression: its C# text and how tightly it binds (to parenthesise only where needed).</summary>
    internal sealed record Printed(string Code, int Precedence)
    {
        public const int Conditional = 1, Or = 2, And = 3, Equality = 4, Relational = 5, Additive = 6, Multiplicative = 7, Unary = 8, Primary = 9;

        public string Wrapped(int context) => Precedence < context ? "(" + Code + ")" : Code;
    }
}
