using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Parsing
{
    /// <summary>The declarations that parsed and the syntax diagnostics of one file.</summary>
    public sealed record ParseResult(SyntaxTree Tree, EquatableArray<Diagnostic> Diagnostics)
    {
        public bool HasErrors
        {
            get
            {
                foreach (var diagnostic in Diagnostics)
                {
                    if (diagnostic.IsError)
                        return true;
                }
                return false;
            }
        }
    }
}
