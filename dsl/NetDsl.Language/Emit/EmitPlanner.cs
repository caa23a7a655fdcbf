using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetDsl.Binding;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Decides what to generate for a project: one <see cref="EmitUnit"/> per network, block and variant, holding its
    /// bound tree, and the diagnostics of the generator itself. A declaration that has errors is not generated.
    /// </summary>
    public static class EmitPlanner
    {
        /// <summary>The class listing the project's models; a declaration of that name suppresses it.</summary>
        public const string RegistryClassName = Model.GeneratedMembers.RegistryClassName;

        /// <summary>Checks <paramref name="trees"/> together (blocks are shared across files) and plans their units.</summary>
        public static EmitPlan Plan(IEnumerable<SyntaxTree> trees, string namespaceName)
        {
            var treeList = trees.ToList();
            var check = Checking.Checker.Check(treeList);
            var reports = new Dictionary<string, CostFigures>();
            foreach (var report in check.Networks)
            {
                if (report.Output != null)
                    reports[report.VariantName ?? report.NetworkName] =
                        new CostFigures(report.Parameters, report.Macs, report.Input.ToString(), report.Output.ToString())
                        {
                            Summary = Summary(report, report.Output),
                        };
            }
            return Plan(treeList, namespaceName, check, name => reports.TryGetValue(name, out var figures) ? figures : null);
        }

        /// <summary>
        /// Plans the units of <paramref name="trees"/>, checked together into <paramref name="check"/>: its diagnostics are
        /// reported as they are and suppress the declarations they fall in; every other declaration is bound, and
        /// <paramref name="figures"/> gives the checker's costs.
        /// </summary>
        public static EmitPlan Plan(IEnumerable<SyntaxTree> trees, string namespaceName, Checking.CheckResult check, System.Func<string, CostFigures?> figures)
        {
            var treeList = trees.ToList();
            var diagnostics = new List<Diagnostic>(check.Diagnostics);
            var declarations = treeList.SelectMany(tree => tree.Declarations.Select(declaration => (tree, declaration))).ToList();
            var networks = declarations.Select(d => d.declaration).OfType<NetworkDeclaration>()
                .GroupBy(n => n.Name.Text).ToDictionary(g => g.Key, g => g.First());

            var notGenerated = NotGenerated(declarations, check.Diagnostics);
            var units = new List<EmitUnit>();
            foreach (var (tree, declaration) in declarations)
            {
                if (notGenerated.Contains(declaration))
                    continue;
                NetworkDeclaration? baseNetwork = null;
                if (declaration is VariantDeclaration variant && !networks.TryGetValue(variant.Target.Text, out baseNetwork))
                    continue; // the checker reports the unknown target
                BoundDeclaration bound;
                try
                {
                    bound = Binder.Bind(declaration, check.Model);
                }
                catch (BindingException e)
                {
                    diagnostics.Add(new Diagnostic(DiagnosticCatalog.NotTranslatable,
                        DiagnosticCatalog.NotTranslatable.Format($"'{declaration.Name.Text}'", e.Message), SourceLocation.From(tree.Source, e.Span)));
                    continue;
                }
                var unit = new EmitUnit(
                    declaration.Name.Text + ".g.cs", namespaceName, Path.GetFileName(tree.Source.Path), bound,
                    declaration is BlockDeclaration ? null : figures(declaration.Name.Text))
                {
                    BaseNetworkHasFigures = baseNetwork != null && figures(baseNetwork.Name.Text)?.Summary != null,
                };
                units.Add(unit);
            }
            return new EmitPlan(units.ToEquatableArray(), diagnostics.ToEquatableArray())
            {
                Registry = Registry(units, namespaceName),
            };
        }

        /// <summary>The checker's report without source locations; null if a row's shape is unknown (only after an error).</summary>
        private static SummaryFigures? Summary(Model.NetworkReport report, Model.FeatureShape output)
        {
            if (report.Layers.Any(layer => layer.Output == null))
                return null;
            var rows = report.Layers
                .Select(layer => new SummaryRow(layer.Path, layer.Kind, layer.Description, layer.Depth, layer.Output!, layer.Parameters, layer.Macs))
                .ToEquatableArray();
            return new SummaryFigures(report.Name, report.NetworkName, report.VariantName, report.Input, output, report.SizeMiB, rows)
            {
                Outputs = report.Outputs.Select(o => o.Name).ToEquatableArray(),
            };
        }

        /// <summary>
        /// Every network and variant whose class has its figures and can be built without arguments (a parameter
        /// without default, not fixed by the variant, would need one), in declaration order.
        /// </summary>
        private static RegistryUnit? Registry(List<EmitUnit> units, string namespaceName)
        {
            var models = units
                .Where(unit => unit.Kind != UnitKind.Block && unit.Figures?.Summary != null && BuildsWithoutArguments(unit))
                .Select(unit => unit.Declaration.Name)
                .ToEquatableArray();
            return models.Count == 0 ? null : new RegistryUnit(namespaceName, models);
        }

        private static bool BuildsWithoutArguments(EmitUnit unit) => unit.Declaration switch
        {
            BoundNetwork network => network.Parameters.All(p => p.Default != null),
            // A variant's parameters have its arguments as their defaults.
            BoundVariant variant => variant.Parameters.All(p => p.Default != null),
            _ => false,
        };

        /// <summary>
        /// Declarations that have an error, and those that use one of them (a block, or a variant's network): generating
        /// the users would only add C# errors about a missing class to the checker's diagnostics.
        /// </summary>
        private static HashSet<Declaration> NotGenerated(List<(SyntaxTree Tree, Declaration Declaration)> declarations, EquatableArray<Diagnostic> diagnostics)
        {
            var result = new HashSet<Declaration>(declarations
                .Where(d => HasError(diagnostics, d.Tree.Source.Path, d.Declaration.Span))
                .Select(d => d.Declaration));
            var firstByName = declarations.GroupBy(d => d.Declaration.Name.Text).ToDictionary(g => g.Key, g => g.First().Declaration);
            // Declarations are records: two equal ones (the same text at the same place of two files) share an entry.
            var uses = new Dictionary<Declaration, List<string>>();
            foreach (var (_, declaration) in declarations)
                uses[declaration] = Uses(declaration).ToList();
            bool changed;
            do
            {
                changed = false;
                foreach (var (_, declaration) in declarations)
                {
                    if (!result.Contains(declaration) &&
                        uses[declaration].Any(name => firstByName.TryGetValue(name, out var used) && result.Contains(used)))
                        changed |= result.Add(declaration);
                }
            }
            while (changed);
            return result;
        }

        /// <summary>The names a declaration's class depends on: a variant's network, and every layer name in a body.</summary>
        private static IEnumerable<string> Uses(Declaration declaration) => declaration switch
        {
            VariantDeclaration variant => new[] { variant.Target.Text },
            NetworkDeclaration network => LayerNames(network.Body),
            BlockDeclaration block => LayerNames(block.Body),
            _ => Enumerable.Empty<string>(),
        };

        private static IEnumerable<string> LayerNames(Body? body)
        {
            if (body == null)
                yield break;
            foreach (var statement in body.Statements)
            {
                var nested = statement switch
                {
                    LayerStatement layer => new Body?[0],
                    GroupStatement group => new[] { group.Body },
                    RepeatStatement repeat => new[] { repeat.Body },
                    ForStatement loop => new[] { loop.Body },
                    IfStatement conditional => new[] { conditional.Then, conditional.Else },
                    ParallelStatement parallel => new[] { parallel.Paths },
                    SplitStatement split => new[] { split.Paths },
                    PathStatement path => new[] { path.Body },
                    ResidualStatement residual => new[] { residual.Body },
                    DenseStatement dense => new[] { dense.Body },
                    _ => new Body?[0],
                };
                if (statement is LayerStatement { Name: { } name })
                    yield return name.Text;
                foreach (var inner in nested)
                {
                    foreach (var found in LayerNames(inner))
                        yield return found;
                }
            }
        }

        private static bool HasError(EquatableArray<Diagnostic> diagnostics, string path, TextSpan span) =>
            diagnostics.Any(d => d.IsError && d.Location.Path == path && d.Location.Span.Start >= span.Start && d.Location.Span.Start < span.End);
    }
}
