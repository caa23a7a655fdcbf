using System.Collections.Generic;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>What a NetDsl name stands for in generated code.</summary>
    internal abstract class Symbol
    {
    }

    /// <summary>A value: a parameter, let, loop variable or activation, spelled <see cref="Code"/> in C#.</summary>
    internal sealed class ValueSymbol : Symbol
    {
        public ValueSymbol(string code, DslType type)
        {
            Code = code;
            Type = type;
        }

        public string Code { get; }

        public DslType Type { get; }
    }

    /// <summary>A <c>let f(x) = ...</c> function, emitted as a C# local function per distinct argument types.</summary>
    internal sealed class FunctionSymbol : Symbol
    {
        public FunctionSymbol(FunctionStatement syntax, Scope definition, CodeBlock block)
        {
            Syntax = syntax;
            Definition = definition;
            Block = block;
        }

        public FunctionStatement Syntax { get; }

        public Scope Definition { get; }

        /// <summary>The C# block the local functions are written at the end of (so they can capture its locals).</summary>
        public CodeBlock Block { get; }

        public Dictionary<string, (string Name, DslType Result)> Instances { get; } = new Dictionary<string, (string, DslType)>();
    }

    /// <summary>Nested name bindings: a body sees its own lets and everything of the enclosing bodies.</summary>
    internal sealed class Scope
    {
        private readonly Dictionary<string, Symbol> symbols = new Dictionary<string, Symbol>();

        public Scope(Scope? parent) => Parent = parent;

        public Scope? Parent { get; }

        public void Define(string name, Symbol symbol) => symbols[name] = symbol;

        public Symbol? Lookup(string name) =>
            symbols.TryGetValue(name, out var symbol) ? symbol : Parent?.Lookup(name);
    }

    /// <summary>Gives every generated C# local a name no other local of the constructor has.</summary>
    internal sealed class NameAllocator
    {
        private readonly HashSet<string> taken = new HashSet<string>();

        public void Reserve(string name) => taken.Add(name);

        /// <summary>A name no local has yet, without taking it: for local-function parameters, which C# lets shadow later locals.</summary>
        public string Peek(string preferred)
        {
            if (!taken.Contains(preferred))
                return preferred;
            for (var suffix = 1; ; suffix++)
            {
                if (!taken.Contains(preferred + suffix))
                    return preferred + suffix;
            }
        }

        public string Allocate(string preferred)
        {
            if (taken.Add(preferred))
                return preferred;
            for (var suffix = 1; ; suffix++)
            {
                var candidate = preferred + suffix;
                if (taken.Add(candidate))
                    return candidate;
            }
        }
    }

    /// <summary>A C# block being written: local functions defined in it are appended at its end.</summary>
    internal sealed class CodeBlock
    {
        public List<string> LocalFunctions { get; } = new List<string>();
    }
}
