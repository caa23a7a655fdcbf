using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>What the checker found: diagnostics, one report per network (at its defaults) and per variant, and the semantic model.</summary>
    public sealed record CheckResult(EquatableArray<Diagnostic> Diagnostics, EquatableArray<NetworkReport> Networks, SemanticModel Model)
    {
        public bool HasErrors => Diagnostics.Any(d => d.IsError);
    }

    /// <summary>
    /// The checker: a static pass over every declaration (names, arguments, types, recursion), then an
    /// evaluation of every network at its defaults and of every variant (shapes, channels, costs).
    /// </summary>
    public static class Checker
    {
        public static CheckResult Check(IEnumerable<SyntaxTree> trees)
        {
            var diagnostics = new DiagnosticBag();
            var declarations = DeclarationTable.Collect(trees, diagnostics);
            GeneratedNameRules.Check(declarations, diagnostics);
            var variants = declarations.Variants.ToDictionary(
                v => v.Key,
                v => new VariantInfo(v.Value, declarations.Find(v.Value.Target.Text) as NetworkDeclaration));
            var model = new SemanticModel(declarations.Networks, declarations.Blocks, variants);
            foreach (var (declaration, tree) in declarations.All)
                model.SetTree(declaration, tree);

            var bindings = new BindingTable();
            model.Bindings = bindings;
            var uses = new Dictionary<BlockDeclaration, List<(LayerStatement, BlockDeclaration)>>(ReferenceComparer<BlockDeclaration>.Instance);
            foreach (var (declaration, tree) in declarations.All)
            {
                var context = DeclarationBinder.Bind(declaration, new BinderContext(model, bindings, declarations, diagnostics, tree.Source));
                if (declaration is BlockDeclaration block)
                    uses[block] = context.BlockUses;
            }
            RecursionDetector.Detect(uses, declarations.Trees, bindings, diagnostics);

            var reports = new List<NetworkReport>();
            foreach (var network in declarations.Networks.Values)
            {
                if (NetworkEvaluator.Evaluate(network, null, model, bindings, diagnostics) is { } report)
                    reports.Add(report);
            }
            foreach (var variant in variants.Values)
            {
                if (variant.Target is { } target && NetworkEvaluator.Evaluate(target, variant.Declaration, model, bindings, diagnostics) is { } report)
                    reports.Add(report);
            }

            var ordered = diagnostics.Items
                .OrderBy(d => d.Location.Path, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.Span.Start)
                .ThenBy(d => d.Code, System.StringComparer.Ordinal);
            return new CheckResult(ordered.ToEquatableArray(), reports.ToEquatableArray(), model);
        }
    }
}
