using System;
using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// Rules that exist because every declaration becomes a class (and every class-level label a property) in
    /// generated code: names that would clash there (NN0135), names that code reserves (NN0136), labels that a
    /// loop would give to many modules (NN0134), and defaults that must be constants (NN0137). They are checker
    /// rules so that <c>netdsl check</c> and a build accept exactly the same programs.
    /// </summary>
    internal static class GeneratedNameRules
    {
        private static readonly HashSet<string> ConstantFunctions = new HashSet<string> { "min", "max", "abs", "floor", "ceil", "round" };

        public static void Check(DeclarationTable declarations, DiagnosticBag diagnostics)
        {
            var files = new Dictionary<string, (Declaration Declaration, SourceText Source)>(StringComparer.OrdinalIgnoreCase);
            foreach (var (declaration, tree) in declarations.All)
            {
                var source = tree.Source;
                var name = declaration.Name;
                CheckClassName(declaration, source, diagnostics);
                if (files.TryGetValue(name.Text, out var first))
                {
                    // Exactly equal names are duplicates (NN0108); names equal but for case clash only in generated code.
                    if (first.Declaration.Name.Text != name.Text)
                        diagnostics.Report(DiagnosticCatalog.GeneratedNameClash, source, name.Span,
                            $"'{name.Text}' differs from '{first.Declaration.Name.Text}' ({DiagnosticBag.Where(first.Source, first.Declaration.Name.Span, source)}) " +
                            $"only in case, but their generated files {GeneratedMembers.FileName(first.Declaration.Name.Text)} and " +
                            $"{GeneratedMembers.FileName(name.Text)} would be one file on a case-insensitive file system");
                }
                else
                {
                    files[name.Text] = (declaration, source);
                }

                switch (declaration)
                {
                    case NetworkDeclaration network:
                        CheckBody(network.Name.Text, network.Body, source, diagnostics);
                        CheckDefaults(network.Parameters, source, diagnostics);
                        break;
                    case BlockDeclaration block:
                        CheckBody(block.Name.Text, block.Body, source, diagnostics);
                        CheckDefaults(block.Parameters, source, diagnostics);
                        break;
                    case VariantDeclaration variant:
                        foreach (var argument in variant.Arguments)
                            CheckConstant(argument.Value, $"a variant's argument{(argument.Name is { } n ? $" ('{n.Text}')" : "")}", source, diagnostics);
                        break;
                }
            }
        }

        private static void CheckClassName(Declaration declaration, SourceText source, DiagnosticBag diagnostics)
        {
            var name = declaration.Name;
            string? reason = null;
            if (string.Equals(name.Text, GeneratedMembers.RegistryClassName, StringComparison.OrdinalIgnoreCase))
                reason = $"is (in any case) the name of the generated class {GeneratedMembers.RegistryClassName}, which lists the project's models";
            else if (GeneratedMembers.ReservedClassNames.Contains(name.Text))
                reason = $"cannot name a generated class: C# code writes 'var' for an inferred type, which a class named '{name.Text}' would replace";
            else if (name.Text == GeneratedMembers.FiguresMember && declaration is not BlockDeclaration)
                reason = $"cannot name a network or variant: its class has a static member '{GeneratedMembers.FiguresMember}', and a member cannot have its class's name";
            if (reason != null)
                diagnostics.Report(DiagnosticCatalog.ReservedName, source, name.Span, name.Text, reason);
        }

        /// <summary>The labels that become properties of the class, and labels in loops anywhere in the body.</summary>
        private static void CheckBody(string className, Body body, SourceText source, DiagnosticBag diagnostics)
        {
            var properties = new Dictionary<string, (Identifier Label, Body Body)>(StringComparer.Ordinal);
            foreach (var (label, labelBody) in ClassLevelLabels(body))
            {
                var property = GeneratedMembers.PropertyName(label.Text);
                if (property == className)
                    diagnostics.Report(DiagnosticCatalog.GeneratedNameClash, source, label.Span,
                        $"label '{label.Text}' would become the C# property '{property}', which is the name of the class itself");
                else if (GeneratedMembers.Inherited.Contains(property))
                    diagnostics.Report(DiagnosticCatalog.ReservedName, source, label.Span, label.Text,
                        $"would become the C# property '{property}', which every generated module already has");
                else if (properties.TryGetValue(property, out var first))
                {
                    // The same label twice in one body is a duplicate (NN0109); in two branches of an if it is two properties.
                    if (first.Label.Text != label.Text || !ReferenceEquals(first.Body, labelBody))
                        diagnostics.Report(DiagnosticCatalog.GeneratedNameClash, source, label.Span,
                            $"label '{label.Text}' would become the C# property '{property}', which label '{first.Label.Text}' " +
                            $"({DiagnosticBag.Where(source, first.Label.Span)}) already becomes");
                }
                else
                {
                    properties[property] = (label, labelBody);
                }
            }
            foreach (var (label, loop) in LabelsInLoops(body, loop: null))
                diagnostics.Report(DiagnosticCatalog.LabelInLoop, source, label.Span, label.Text, loop);
        }

        /// <summary>Labels of the body itself and of the branches of its ifs: each becomes a property of the class.</summary>
        private static IEnumerable<(Identifier Label, Body Body)> ClassLevelLabels(Body body)
        {
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case LayerStatement { Label: { } label }:
                        yield return (label, body);
                        break;
                    case GroupStatement group:
                        yield return (group.Label, body);
                        break;
                    case IfStatement conditional:
                        foreach (var found in ClassLevelLabels(conditional.Then))
                            yield return found;
                        if (conditional.Else != null)
                        {
                            foreach (var found in ClassLevelLabels(conditional.Else))
                                yield return found;
                        }
                        break;
                }
            }
        }

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
                    LayerStatement layer => (layer.Label, Array.Empty<(Body?, string?)>()),
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
                    _ => (null, Array.Empty<(Body?, string?)>()),
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

        private static void CheckDefaults(EquatableArray<Parameter> parameters, SourceText source, DiagnosticBag diagnostics)
        {
            foreach (var parameter in parameters)
            {
                if (parameter.Default != null)
                    CheckConstant(parameter.Default, $"the default of '{parameter.Name.Text}'", source, diagnostics);
            }
        }

        /// <summary>Reports the first part of <paramref name="expression"/> that is not a constant, if any.</summary>
        private static void CheckConstant(Expression expression, string what, SourceText source, DiagnosticBag diagnostics)
        {
            if (FirstNonConstant(expression) is { } found)
                diagnostics.Report(DiagnosticCatalog.DefaultNotConstant, source, found.Part.Span, what, found.Why);
        }

        private static (Expression Part, string Why)? FirstNonConstant(Expression expression) => expression switch
        {
            NumberLiteral or BooleanLiteral => null,
            NameExpression name when LayerCatalogue.Activation(name.Name.Text) != null => null,
            UnaryExpression unary => FirstNonConstant(unary.Operand),
            BinaryExpression binary => FirstNonConstant(binary.Left) ?? FirstNonConstant(binary.Right),
            ConditionalExpression conditional =>
                FirstNonConstant(conditional.Condition) ?? FirstNonConstant(conditional.WhenTrue) ?? FirstNonConstant(conditional.WhenFalse),
            CallExpression call when ConstantFunctions.Contains(call.Function.Text) =>
                call.Arguments.Select(a => FirstNonConstant(a.Value)).FirstOrDefault(found => found != null),
            CallExpression call => (call, $"'{call.Function.Text}(...)' is not allowed there; use min, max, abs, floor, ceil or round"),
            NameExpression name => (name, $"it cannot use '{name.Name.Text}'; compute the value with a let inside the body"),
            _ => (expression, "lists, tuples, ranges and indexing are not allowed there"),
        };
    }
}
