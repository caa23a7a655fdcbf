using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>Finds blocks that use themselves, directly or through others, and reports each cycle once with its path.</summary>
    internal static class RecursionDetector
    {
        public static void Detect(
            IReadOnlyDictionary<BlockDeclaration, List<(LayerStatement Use, BlockDeclaration Block)>> uses,
            IReadOnlyDictionary<Declaration, SyntaxTree> trees,
            BindingTable bindings,
            DiagnosticBag diagnostics)
        {
            var state = new Dictionary<BlockDeclaration, int>(ReferenceComparer<BlockDeclaration>.Instance); // 1 visiting, 2 done
            var stack = new List<BlockDeclaration>();
            foreach (var block in uses.Keys)
                Visit(block);

            void Visit(BlockDeclaration block)
            {
                if (state.TryGetValue(block, out int seen) && seen != 0)
                    return;
                state[block] = 1;
                stack.Add(block);
                if (uses.TryGetValue(block, out var edges))
                {
                    foreach (var (use, target) in edges)
                    {
                        if (state.TryGetValue(target, out int targetState) && targetState == 1)
                        {
                            int start = stack.FindIndex(b => ReferenceEquals(b, target));
                            var cycle = stack.Skip(start).Select(b => b.Name.Text).Concat(new[] { target.Name.Text });
                            foreach (var member in stack.Skip(start))
                                bindings.RecursiveBlocks.Add(member);
                            diagnostics.Report(DiagnosticCatalog.RecursiveBlock, trees[block].Source, use.Name.Span,
                                target.Name.Text, string.Join(" -> ", cycle));
                        }
                        else
                        {
                            Visit(target);
                        }
                    }
                }
                stack.RemoveAt(stack.Count - 1);
                state[block] = 2;
            }
        }
    }
}
