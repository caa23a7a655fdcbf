using System.Collections.Generic;
using System.Linq;
using NetDsl.Binding;

namespace NetDsl.Emit
{
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

    /// <summary>
    /// The C# names of one constructor's locals: each bound variable's, and each let function's C# local functions (one
    /// per typed body, written at the end of the block the function is defined in once a call needs it).
    /// </summary>
    internal sealed class Locals
    {
        private readonly Dictionary<int, string> variables = new Dictionary<int, string>();
        private readonly Dictionary<int, DefinedFunction> functions = new Dictionary<int, DefinedFunction>();

        public NameAllocator Names { get; } = new NameAllocator();

        public void Name(BoundVariable variable, string code) => variables[variable.Id] = code;

        public string this[BoundVariable variable] => variables[variable.Id];

        public void Define(BoundFunction function, CodeBlock block) => functions[function.Id] = new DefinedFunction(function, block);

        public DefinedFunction Function(int id) => functions[id];

        internal sealed class DefinedFunction
        {
            public DefinedFunction(BoundFunction function, CodeBlock block)
            {
                Function = function;
                Block = block;
                InstanceNames = new string?[function.Instances.Count];
            }

            public BoundFunction Function { get; }

            public CodeBlock Block { get; }

            /// <summary>The C# name of each typed body, once written.</summary>
            public string?[] InstanceNames { get; }

            public int WrittenCount => InstanceNames.Count(name => name != null);
        }
    }

    /// <summary>
    /// Where statements are being written: the sequence they append to, the C# variable of the features' shape they
    /// advance, the C# of <c>in</c>, and whether labels here become properties.
    /// </summary>
    internal sealed record Sequence(string Shape, string InChannels, string? Target, CodeBlock Block, bool IsClassLevel, bool InLoop, bool InConditional)
    {
        public string Append => Target == null ? "Append" : Target + ".Append";

        /// <summary>A nested C# block of the same sequence (loop or if body).</summary>
        public Sequence Nested(CodeBlock block, bool loop, bool conditional) =>
            this with { Block = block, IsClassLevel = IsClassLevel && !loop, InLoop = InLoop || loop, InConditional = InConditional || conditional };

        /// <summary>A sequence of its own (group, residual body), advancing the same shape.</summary>
        public Sequence Within(string target) => this with { Target = target, IsClassLevel = false };
    }
}
