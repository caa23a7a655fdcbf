using System.Collections.Generic;
using NetDsl.Model;

namespace NetDsl.Checking
{
    /// <summary>The names declared in one body (or a declaration's parameters), with the enclosing scope.</summary>
    internal sealed class Scope
    {
        private readonly Dictionary<string, Symbol> symbols = new Dictionary<string, Symbol>();

        public Scope(Scope? parent) => Parent = parent;

        public Scope? Parent { get; }

        public Symbol? Lookup(string name)
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
            {
                if (scope.symbols.TryGetValue(name, out var symbol))
                    return symbol;
            }
            return null;
        }

        public Symbol? LookupHere(string name) => symbols.TryGetValue(name, out var symbol) ? symbol : null;

        public void Declare(Symbol symbol) => symbols[symbol.Name] = symbol;

        /// <summary>Every visible name, for "did you mean".</summary>
        public IEnumerable<Symbol> Visible()
        {
            for (var scope = this; scope is not null; scope = scope.Parent)
            {
                foreach (var symbol in scope.symbols.Values)
                    yield return symbol;
            }
        }
    }
}
