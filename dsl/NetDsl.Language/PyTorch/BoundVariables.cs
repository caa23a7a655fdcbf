using System.Collections.Generic;
using System.Linq;
using NetDsl.Binding;

namespace NetDsl.PyTorch
{
    /// <summary>The names a bound body binds, which Python shares across one function's scope.</summary>
    internal static class BoundVariables
    {
        /// <summary>
        /// The variables the statements of <paramref name="body"/> bind: lets, loop and index variables, through loops and
        /// conditionals; with <paramref name="intoModules"/> also inside groups, paths, residual and dense bodies, and the
        /// names and parameters of <c>let</c> functions (a function's name is returned as a variable of that name).
        /// </summary>
        public static IEnumerable<BoundVariable> DeclaredIn(BoundBody body, bool intoModules)
        {
            foreach (var statement in body.Statements)
            {
                var (declared, inner) = Of(statement, intoModules);
                foreach (var variable in declared)
                    yield return variable;
                foreach (var nested in inner.SelectMany(b => DeclaredIn(b, intoModules)))
                    yield return nested;
            }
        }

        private static (IEnumerable<BoundVariable> Declared, IEnumerable<BoundBody> Inner) Of(BoundStatement statement, bool intoModules)
        {
            var none = Enumerable.Empty<BoundVariable>();
            var leaf = Enumerable.Empty<BoundBody>();
            switch (statement)
            {
                case BoundLet let:
                    return (new[] { let.Variable }, leaf);
                case BoundRepeat repeat:
                    return (repeat.Index is null ? none : new[] { repeat.Index }, new[] { repeat.Body });
                case BoundFor loop:
                    return (loop.Variables, new[] { loop.Body });
                case BoundIf conditional:
                    return (none, conditional.Else is null ? new[] { conditional.Then } : new[] { conditional.Then, conditional.Else });
            }
            if (!intoModules)
                return (none, leaf);
            switch (statement)
            {
                case BoundFunctionDefinition definition:
                    var function = new BoundVariable(-1, definition.Function.Name, VariableKind.Let, BoundType.Int);
                    return (definition.Function.Instances.SelectMany(i => i.Parameters).Append(function), leaf);
                case BoundDense dense:
                    return (dense.Index is null ? none : new[] { dense.Index }, new[] { dense.Body });
                case BoundGroup group:
                    return (none, new[] { group.Body });
                case BoundPaths paths:
                    return (none, new[] { paths.Paths });
                case BoundPath path:
                    return (none, new[] { path.Body });
                case BoundResidual residual:
                    return (none, new[] { residual.Body });
                default:
                    return (none, leaf);
            }
        }
    }
}
