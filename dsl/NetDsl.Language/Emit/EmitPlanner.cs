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
        // Members every generated class has (SequentialModule, Module, object): a label property may not take these names.
        private static readonly HashSet<string> InheritedMembers = new HashSet<string>
        {
            "Append", "Count", "InputShape", "OutputShape", "Dispose", "Equals", "GetHashCode", "GetType", "ToString",
            "MemberwiseClone", "Finalize", "GetName", "Figures",
        };

        /// <summary>The class listing the project's models; a declaration of that name suppresses it.</summary>
        public const string RegistryClassName = "NetDslModels";

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

            var units = new List<EmitUnit>();
            foreach (var (tree, declaration) in declarations)
            {
                if (HasError(checkerDiagnostics, tree.Source.Path, declaration.Span))
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
                Registry = Registry(units, declarations.Select(d => d.declaration), namespaceName),
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
        private static RegistryUnit? Registry(List<EmitUnit> units, IEnumerable<Declaration> declarations, string namespaceName)
        {
            if (declarations.Any(d => d.Name.Text == RegistryClassName))
                return null;
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

        private static bool HasError(EquatableArray<Diagnostic> diagnostics, string path, TextSpan span) =>
            diagnostics.Any(d => d.IsError && d.Location.Path == path && d.Location.Span.Start >= span.Start && d.Location.Span.Start < span.End);

        /// <summary>Name clashes in the generated class, and anything the emitter cannot translate (found by emitting once).</summary>
        private static List<Diagnostic> Validate(EmitUnit unit, SourceText source)
        {
            var problems = new List<Diagnostic>();
            var className = unit.Declaration.Name.Text;
            var members = new Dictionary<string, Identifier>();
            foreach (var label in ClassLevelLabels(unit.Declaration))
            {
                var property = CSharpNames.ToPascalCase(label.Text);
                string? reason = property == className ? "is the name of the class itself"
                    : InheritedMembers.Contains(property) ? "every generated module already has"
                    : members.ContainsKey(property) ? $"label '{members[property].Text}' already becomes"
                    : null;
                if (reason != null)
                    problems.Add(new Diagnostic(DiagnosticCatalog.NameClash, DiagnosticCatalog.NameClash.Format(label.Text, property, reason), SourceLocation.From(source, label.Span)));
                members[property] = label;
            }
            foreach (var (label, loop) in LabelsInLoops(BodyOf(unit.Declaration), loop: null))
                problems.Add(new Diagnostic(DiagnosticCatalog.LabelInLoop, DiagnosticCatalog.LabelInLoop.Format(label.Text, loop), SourceLocation.From(source, label.Span)));
            if (problems.Count > 0)
                return problems;
            try
            {
                CSharpEmitter.Emit(unit);
            }
            catch (EmitException e)
            {
                problems.Add(new Diagnostic(DiagnosticCatalog.NotTranslatable,
                    DiagnosticCatalog.NotTranslatable.Format($"'{className}'", e.Message), SourceLocation.From(source, e.Span)));
            }
            return problems;
        }

        private static IEnumerable<Identifier> ClassLevelLabels(Declaration declaration)
        {
            var body = BodyOf(declaration);
            return body == null ? Enumerable.Empty<Identifier>() : Labels(body);
        }

        private static Body? BodyOf(Declaration declaration) => declaration switch
        {
            NetworkDeclaration network => network.Body,
            BlockDeclaration block => block.Body,
            _ => null,
        };

        /// <summary>
        /// Labels that a repeat or for (<paramref name="loop"/>, the innermost one, null outside loops) would give to a
        /// module of every pass. Each group, path, parallel, split, residual body and dense pass starts a sequence of its
        /// own, so labels inside those are unique again.
        /// </summary>
        private static IEnumerable<(Identifier Label, string Loop)> LabelsInLoops(Body? body, string? loop)
        {
            if (body == null)
                yield break;
            foreach (var statement in body.Statements)
            {
                var (label, inner) = statement switch
                {
                    LayerStatement layer => (layer.Label, Enumerable.Empty<(Body?, string?)>()),
                    GroupStatement group => (group.Label, new (Body?, string?)[] { (group.Body, null) }),
                    PathStatement path => (path.Label, new (Body?, string?)[] { (path.Body, null) }),
                    RepeatStatement repeat => (null, new (Body?, string?)[] { (repeat.Body, "repeat") }),
                    ForStatement forLoop => (null, new (Body?, string?)[] { (forLoop.Body, "for") }),
                    IfStatement conditional => (null, new (Body?, string?)[] { (conditional.Then, loop), (conditional.Else, loop) }),
                    // Each parallel or split is a module of its own: its paths are unique unless a loop among its items repeats one.
                    ParallelStatement parallel => (null, new (Body?, string?)[] { (parallel.Paths, null) }),
                    SplitStatement split => (null, new (Body?, string?)[] { (split.Paths, null) }),
                    ResidualStatement residual => (null, new (Body?, string?)[] { (residual.Body, null) }),
                    DenseStatement dense => (null, new (Body?, string?)[] { (dense.Body, null) }),
                    _ => (null, Enumerable.Empty<(Body?, string?)>()),
                };
                if (label != null && loop != null)
                    yield return (label, loop);
                foreach (var (nested, nestedLoop) in inner)
                {
                    foreach (var found in LabelsInLoops(nested, nestedLoop))
                        yield return found;
                }
            }
        }

        private static IEnumerable<Identifier> Labels(Body body)
        {
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case LayerStatement { Label: { } label }:
                        yield return label;
                        break;
                    case GroupStatement group:
                        yield return group.Label;
                        break;
                    case IfStatement conditional:
                        foreach (var label in Labels(conditional.Then).Concat(conditional.Else == null ? Enumerable.Empty<Identifier>() : Labels(conditional.Else)))
                            yield return label;
                        break;
                }
            }
        }
    }
}
