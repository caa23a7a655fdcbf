using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    /// <summary>
    /// Decides what to generate for a project: one <see cref="EmitUnit"/> per network, block and variant,
    /// and the diagnostics of the generator itself. A declaration that has errors is not generated.
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
            return Plan(treeList, namespaceName, check.Diagnostics, name => reports.TryGetValue(name, out var figures) ? figures : null);
        }

        /// <summary>
        /// Plans the units of <paramref name="trees"/>; <paramref name="checkerDiagnostics"/> are reported as they
        /// are and suppress the declarations they fall in; <paramref name="figures"/> gives the checker's costs.
        /// </summary>
        public static EmitPlan Plan(IEnumerable<SyntaxTree> trees, string namespaceName,
            EquatableArray<Diagnostic> checkerDiagnostics, System.Func<string, CostFigures?> figures)
        {
            var treeList = trees.ToList();
            var diagnostics = new List<Diagnostic>(checkerDiagnostics);
            var declarations = treeList.SelectMany(tree => tree.Declarations.Select(declaration => (tree, declaration))).ToList();
            var blocks = declarations
                .Select(d => d.declaration).OfType<BlockDeclaration>()
                .GroupBy(b => b.Name.Text).Select(g => g.First())
                .OrderBy(b => b.Name.Text, System.StringComparer.Ordinal)
                .Select(b => new BlockSignature(b.Name.Text,
                    b.Parameters.Select(p => new ParameterSignature(p.Name.Text, p.Type, p.Default != null)).ToEquatableArray()))
                .ToEquatableArray();
            var networks = declarations.Select(d => d.declaration).OfType<NetworkDeclaration>()
                .GroupBy(n => n.Name.Text).ToDictionary(g => g.Key, g => g.First());

            var notGenerated = NotGenerated(declarations, checkerDiagnostics);
            var units = new List<EmitUnit>();
            foreach (var (tree, declaration) in declarations)
            {
                if (notGenerated.Contains(declaration))
                    continue;
                NetworkDeclaration? baseNetwork = null;
                if (declaration is VariantDeclaration variant && !networks.TryGetValue(variant.Target.Text, out baseNetwork))
                    continue; // the checker reports the unknown target
                var kind = declaration is NetworkDeclaration ? UnitKind.Network : declaration is BlockDeclaration ? UnitKind.Block : UnitKind.Variant;
                var unit = new EmitUnit(
                    declaration.Name.Text + ".g.cs", namespaceName, Path.GetFileName(tree.Source.Path),
                    tree.Source.GetLinePosition(declaration.Span.Start).Line + 1, kind, declaration, baseNetwork, blocks,
                    kind == UnitKind.Block ? null : figures(declaration.Name.Text))
                {
                    BaseNetworkHasFigures = baseNetwork != null && figures(baseNetwork.Name.Text)?.Summary != null,
                };
                var problems = Validate(unit, tree.Source);
                diagnostics.AddRange(problems);
                if (problems.Count == 0)
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
            return new SummaryFigures(report.Name, report.NetworkName, report.VariantName, report.Input, output, report.SizeMiB, rows);
        }

        /// <summary>
        /// Every network and variant whose class has its figures and can be built without arguments (a parameter
        /// without default, not fixed by the variant, would need one), in declaration order.
        /// </summary>
        private static RegistryUnit? Registry(List<EmitUnit> units, string namespaceName)
        {
            var models = units
                .Where(unit => unit.Kind != UnitKind.Block && unit.Figures?.Summary != null && BuildsWithoutArguments(unit))
                .Select(unit => unit.Declaration.Name.Text)
                .ToEquatableArray();
            return models.Count == 0 ? null : new RegistryUnit(namespaceName, models);
        }

        private static bool BuildsWithoutArguments(EmitUnit unit)
        {
            if (unit.Declaration is NetworkDeclaration network)
                return network.Parameters.All(p => p.Default != null);
            if (unit.Declaration is not VariantDeclaration variant || unit.BaseNetwork == null)
                return false;
            var parameters = unit.BaseNetwork.Parameters;
            // A variant's argument is named, or else positional (the i-th parameter), as the emitter reads it.
            var fixedByVariant = new HashSet<string>(variant.Arguments.Select((argument, i) =>
                argument.Name?.Text ?? (i < parameters.Count ? parameters[i].Name.Text : "")));
            return parameters.All(p => p.Default != null || fixedByVariant.Contains(p.Name.Text));
        }

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

        /// <summary>
        /// Anything the emitter cannot translate, found by emitting once. The checker's rules (NN0134-NN0137) cover every
        /// construct known to need one, so this only guards against an emitter gap.
        /// </summary>
        private static List<Diagnostic> Validate(EmitUnit unit, SourceText source)
        {
            var problems = new List<Diagnostic>();
            try
            {
                CSharpEmitter.Emit(unit);
            }
            catch (EmitException e)
            {
                problems.Add(new Diagnostic(DiagnosticCatalog.NotTranslatable,
                    DiagnosticCatalog.NotTranslatable.Format($"'{unit.Declaration.Name.Text}'", e.Message), SourceLocation.From(source, e.Span)));
            }
            return problems;
        }
    }
}
