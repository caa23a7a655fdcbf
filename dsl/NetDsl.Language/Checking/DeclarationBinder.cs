using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// The static pass over one declaration: scopes, names, arguments, labels, <c>input</c> placement and
    /// certain type errors, in every branch and every block whether used or not. Records what each name
    /// and layer means in the <see cref="SemanticModel"/>.
    /// </summary>
    internal sealed class DeclarationBinder
    {
        private readonly BinderContext context;
        private readonly ExpressionBinder expressions;
        private string owner = "";

        private DeclarationBinder(BinderContext context)
        {
            this.context = context;
            expressions = new ExpressionBinder(context);
        }

        /// <summary>Where a body sits, which decides what may appear in it.</summary>
        private enum BodyKind
        {
            NetworkTop,
            Sequence,
            Paths,
        }

        public static BinderContext Bind(Declaration declaration, BinderContext context)
        {
            var binder = new DeclarationBinder(context) { owner = declaration.Name.Text };
            switch (declaration)
            {
                case NetworkDeclaration network:
                    binder.BindNetwork(network);
                    FeatureFlow.Check(context, network);
                    break;
                case BlockDeclaration block:
                    binder.BindCallable(block.Name, block.Parameters, block.Body, BodyKind.Sequence, $"block '{block.Name.Text}'");
                    FeatureFlow.Check(context, block);
                    break;
                case VariantDeclaration variant:
                    binder.BindVariant(variant);
                    break;
            }
            return context;
        }

        private void BindNetwork(NetworkDeclaration network)
        {
            BindCallable(network.Name, network.Parameters, network.Body, BodyKind.NetworkTop, $"network '{network.Name.Text}'");
            var inputs = network.Body.Statements.OfType<InputStatement>().ToList();
            if (inputs.Count == 0)
                context.Report(DiagnosticCatalog.MissingInput, network.Name.Span, network.Name.Text);
        }

        private void BindCallable(Identifier name, EquatableArray<Parameter> parameters, Body body, BodyKind kind, string owner)
        {
            var scope = new Scope(null);
            var parameterSymbols = new List<Symbol>();
            foreach (var parameter in parameters)
            {
                var type = ParameterTypeOf(parameter.Type);
                if (parameter.Default is not null)
                    expressions.Expect(parameter.Default, expressions.Bind(parameter.Default, scope), type, $"the default of '{parameter.Name.Text}'");
                parameterSymbols.Add(context.Declare(scope, SymbolKind.Parameter, parameter.Name, type));
            }
            BindBody(body, scope, kind);
            if (context.HasUnknownNames)
                return;

            foreach (var symbol in parameterSymbols)
            {
                if (!context.Used.Contains(symbol))
                    context.Report(DiagnosticCatalog.UnusedParameter, symbol.Declaration!.Span, symbol.Name, owner);
            }
            foreach (var symbol in context.Lets)
            {
                if (!context.Used.Contains(symbol))
                    context.Report(DiagnosticCatalog.UnusedLet, symbol.Declaration!.Span, symbol.Name);
            }
        }

        private void BindVariant(VariantDeclaration variant)
        {
            var target = context.Declarations.Find(variant.Target.Text);
            var scope = new Scope(null);
            if (target is NetworkDeclaration network)
            {
                var names = network.Parameters.Select(p => p.Name.Text).ToList();
                var bound = ArgumentMatcher.Match(names, network.Parameters.Select(p => p.Default is null).ToList(), variant.Arguments,
                    $"network '{network.Name.Text}'", variant.Target.Span, context.Source, context.Diagnostics);
                context.Bindings.Arguments[variant] = bound;
                for (int i = 0; i < names.Count; i++)
                {
                    if (bound.ByParameter[i] is { } argument)
                        expressions.Expect(argument.Value, expressions.Bind(argument.Value, scope), ParameterTypeOf(network.Parameters[i].Type), $"argument '{names[i]}' of {network.Name.Text}");
                }
            }
            else
            {
                string what = target switch
                {
                    BlockDeclaration => "a block",
                    VariantDeclaration => "a variant",
                    _ => "not declared",
                };
                string hint = target is null ? Suggestions.DidYouMean(variant.Target.Text, context.Declarations.Networks.Keys) : "";
                context.Report(DiagnosticCatalog.VariantTargetNotNetwork, variant.Target.Span, variant.Name.Text, variant.Target.Text, what, hint);
                foreach (var argument in variant.Arguments)
                    expressions.Bind(argument.Value, scope);
            }
            if (variant.Input is { } input)
                BindShape(input, scope);
        }

        private void BindShape(ShapeSyntax shape, Scope scope)
        {
            expressions.Expect(shape.Channels, expressions.Bind(shape.Channels, scope), DslType.Int, "the input channels");
            expressions.Expect(shape.Height, expressions.Bind(shape.Height, scope), DslType.Int, "the input height");
            expressions.Expect(shape.Width, expressions.Bind(shape.Width, scope), DslType.Int, "the input width");
        }

        private void BindBody(Body body, Scope scope, BodyKind kind, string container = "parallel")
        {
            var labels = new Dictionary<string, Identifier>();
            var nested = kind == BodyKind.NetworkTop ? BodyKind.Sequence : kind;
            bool sawModule = false;
            InputStatement? firstInput = null;
            var statements = body.Statements;
            for (int i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (kind == BodyKind.Paths && !IsAllowedAmongPaths(statement))
                    context.Report(DiagnosticCatalog.NonPathInParallel, StatementKeywordSpan(statement), container);
                switch (statement)
                {
                    case InputStatement input:
                        BindInput(input, scope, kind, sawModule, ref firstInput);
                        break;
                    case LetStatement let:
                    {
                        var type = expressions.Bind(let.Value, scope);
                        context.Lets.Add(context.Declare(scope, SymbolKind.Let, let.Name, type));
                        break;
                    }
                    case FunctionStatement function:
                        BindFunction(function, scope);
                        break;
                    case LayerStatement layer:
                        sawModule = true;
                        AddLabel(labels, layer.Label);
                        BindLayer(layer, scope, i + 1 < statements.Count ? statements[i + 1] : null);
                        break;
                    case GroupStatement group:
                        sawModule = true;
                        AddLabel(labels, group.Label);
                        BindBody(group.Body, new Scope(scope), BodyKind.Sequence);
                        break;
                    case RepeatStatement repeat:
                        sawModule = true;
                        BindLoop(repeat.Count, repeat.Index, repeat.Body, scope, nested, container);
                        break;
                    case DenseStatement dense:
                        sawModule = true;
                        if (dense.Body.Statements.Count == 0)
                            context.Report(DiagnosticCatalog.EmptyDense, KeywordSpan(dense.Span, "dense"));
                        BindLoop(dense.Count, dense.Index, dense.Body, scope, BodyKind.Sequence);
                        break;
                    case ForStatement loop:
                        sawModule = true;
                        BindFor(loop, scope, nested, container);
                        break;
                    case IfStatement branch:
                        sawModule = true;
                        expressions.Expect(branch.Condition, expressions.Bind(branch.Condition, scope), DslType.Bool, "the condition of if");
                        BindBody(branch.Then, new Scope(scope), nested, container);
                        if (branch.Else is not null)
                            BindBody(branch.Else, new Scope(scope), nested, container);
                        break;
                    case ParallelStatement parallel:
                        sawModule = true;
                        BindPaths(parallel.Paths, parallel.Span, "parallel", scope);
                        break;
                    case SplitStatement split:
                        sawModule = true;
                        BindPaths(split.Paths, split.Span, "split", scope);
                        break;
                    case PathStatement path:
                        if (kind != BodyKind.Paths)
                            context.Report(DiagnosticCatalog.PathOutsideParallel, KeywordSpan(path.Span, "path"));
                        else
                            AddLabel(labels, path.Label);
                        BindBody(path.Body, new Scope(scope), BodyKind.Sequence);
                        break;
                    case ResidualStatement residual:
                        sawModule = true;
                        BindResidual(residual, scope);
                        break;
                    case MergeFeaturesStatement merge:
                        sawModule = true;
                        AddLabel(labels, merge.Label);
                        break;
                    case ResizeStatement resize:
                        sawModule = true;
                        BindResize(resize, scope);
                        break;
                    case FromStatement or NameFeaturesStatement or InputsStatement or OutputsStatement:
                        // Feature map names have their own rules, checked in source order by FeatureFlow.
                        break;
                }
            }
        }

        private void BindInput(InputStatement input, Scope scope, BodyKind kind, bool sawModule, ref InputStatement? firstInput)
        {
            BindShape(input.Shape, scope);
            var span = KeywordSpan(input.Span, "input");
            if (kind != BodyKind.NetworkTop)
            {
                context.Report(DiagnosticCatalog.MisplacedInput, span, "'input' belongs at the top of a network's body; a block or nested body takes the shape it is applied to");
            }
            else if (firstInput is not null)
            {
                context.Report(DiagnosticCatalog.DuplicateInput, span, owner, DiagnosticBag.Where(context.Source, firstInput.Span));
            }
            else
            {
                firstInput = input;
                if (sawModule)
                    context.Report(DiagnosticCatalog.MisplacedInput, span, "'input' must come before the first layer of the network");
            }
        }


        private void BindFunction(FunctionStatement function, Scope scope)
        {
            var symbol = new Symbol(SymbolKind.Function, function.Name.Text, function.Name, DslType.Unknown) { Arity = function.Parameters.Count };
            var parameterScope = new Scope(scope);
            foreach (var parameter in function.Parameters)
                context.Declare(parameterScope, SymbolKind.FunctionParameter, parameter, DslType.Unknown);
            expressions.CurrentFunction = function.Name.Text;
            expressions.Bind(function.Body, parameterScope);
            expressions.CurrentFunction = null;
            var declared = context.Declare(scope, SymbolKind.Function, function.Name, DslType.Unknown);
            declared.Arity = symbol.Arity;
            context.Bindings.Functions[declared] = function;
            context.Lets.Add(declared);
        }

        private void BindLoop(Expression count, Identifier? index, Body body, Scope scope, BodyKind kind, string container = "parallel")
        {
            expressions.Expect(count, expressions.Bind(count, scope), DslType.Int, "a loop count");
            var inner = new Scope(scope);
            if (index is not null)
                context.Declare(inner, SymbolKind.LoopVariable, index, DslType.Int);
            BindBody(body, inner, kind, container);
        }

        private void BindFor(ForStatement loop, Scope scope, BodyKind kind, string container)
        {
            var sourceType = expressions.Bind(loop.Source, scope);
            if (sourceType != DslType.Unknown && sourceType != DslType.List && sourceType != DslType.Tuple)
                context.Report(DiagnosticCatalog.NotIterable, loop.Source.Span, $"'{context.Text(loop.Source.Span)}'", TypeNames.WithArticle(sourceType));

            var names = loop.Pattern.Names;
            var types = new DslType[names.Count];
            if (loop.Source is RangeExpression)
            {
                for (int i = 0; i < types.Length; i++)
                    types[i] = DslType.Int;
            }
            else if (loop.Source is ListExpression list)
            {
                InferPatternTypes(loop.Pattern, list, types, scope);
            }
            var inner = new Scope(scope);
            for (int i = 0; i < names.Count; i++)
                context.Declare(inner, SymbolKind.LoopVariable, names[i], types[i]);
            BindBody(loop.Body, inner, kind, container);
        }

        /// <summary>Types of the loop names over a literal table; a row of the wrong length is reported here already.</summary>
        private void InferPatternTypes(ForPattern pattern, ListExpression list, DslType[] types, Scope scope)
        {
            var seen = new DslType?[types.Length];
            foreach (var item in list.Items)
            {
                if (!pattern.IsTuple)
                {
                    var type = item is TupleExpression ? DslType.Tuple : StaticType(item, scope);
                    seen[0] = seen[0] is null || seen[0] == type ? type : DslType.Unknown;
                    continue;
                }
                if (item is not TupleExpression tuple)
                    continue;
                if (tuple.Items.Count != types.Length)
                {
                    context.Report(DiagnosticCatalog.PatternArity, item.Span, types.Length, context.Text(item.Span), tuple.Items.Count);
                    continue;
                }
                for (int i = 0; i < types.Length; i++)
                {
                    var type = StaticType(tuple.Items[i], scope);
                    seen[i] = seen[i] is null || seen[i] == type ? type : (IsNumber(seen[i]!.Value) && IsNumber(type) ? DslType.Float : DslType.Unknown);
                }
            }
            for (int i = 0; i < types.Length; i++)
                types[i] = seen[i] ?? DslType.Unknown;
        }

        private static bool IsNumber(DslType type) => type == DslType.Int || type == DslType.Float;

        /// <summary>The type of a table cell without binding it again (the list was bound already).</summary>
        private static DslType StaticType(Expression expression, Scope scope) => expression switch
        {
            NumberLiteral number => number.IsInteger ? DslType.Int : DslType.Float,
            BooleanLiteral => DslType.Bool,
            NameExpression name when scope.Lookup(name.Name.Text) is { } symbol => symbol.Type,
            NameExpression name when Builtins.Activation(name.Name.Text) is not null => DslType.Activation,
            TupleExpression => DslType.Tuple,
            ListExpression => DslType.List,
            UnaryExpression { Operator: UnaryOperator.Negate, Operand: NumberLiteral number } => number.IsInteger ? DslType.Int : DslType.Float,
            _ => DslType.Unknown,
        };

        private void BindPaths(Body paths, TextSpan statementSpan, string keyword, Scope scope)
        {
            if (paths.Statements.Count == 0)
                context.Report(DiagnosticCatalog.NoPaths, KeywordSpan(statementSpan, keyword), keyword);
            BindBody(paths, new Scope(scope), BodyKind.Paths, keyword);
        }

        private void BindResidual(ResidualStatement residual, Scope scope)
        {
            var bound = ArgumentMatcher.Match(new[] { "project" }, new[] { false }, residual.Options, "residual",
                KeywordSpan(residual.Span, "residual"), context.Source, context.Diagnostics);
            context.Bindings.Arguments[residual] = bound;
            if (bound["project"] is { } project)
                expressions.Expect(project.Value, expressions.Bind(project.Value, scope), DslType.Bool, "argument 'project' of residual");
            if (residual.When is not null)
                expressions.Expect(residual.When, expressions.Bind(residual.When, scope), DslType.Bool, "the condition of residual when");
            BindBody(residual.Body, new Scope(scope), BodyKind.Sequence);
        }

        private void BindLayer(LayerStatement layer, Scope scope, Statement? next)
        {
            string name = layer.Name.Text;
            var arguments = layer.Arguments ?? EquatableArray<Argument>.Empty;
            if (Builtins.Layers.TryGetValue(name, out var spec))
            {
                context.Model.SetLayerTarget(layer, new BuiltinLayerTarget(spec.Kind, name));
                if (spec.Kind is BuiltinLayerKind.Conv or BuiltinLayerKind.DepthwiseConv or BuiltinLayerKind.TransposedConv)
                    context.Model.SetAutoBias(layer, next is not LayerStatement { Name.Text: "bn" });
                var parameters = spec.Parameters.Select(p => p.Name).ToList();
                var bound = ArgumentMatcher.Match(parameters, spec.Parameters.Select(p => p.Required).ToList(), arguments, name,
                    layer.Name.Span, context.Source, context.Diagnostics);
                context.Bindings.Arguments[layer] = bound;
                for (int i = 0; i < spec.Parameters.Count; i++)
                {
                    if (bound.ByParameter[i] is { } argument)
                        expressions.Expect(argument.Value, expressions.Bind(argument.Value, scope), spec.Parameters[i].Type, $"argument '{spec.Parameters[i].Name}' of {name}");
                }
                BindUnmatched(arguments, bound, scope);
                return;
            }

            if (context.Declarations.Find(name) is BlockDeclaration block)
            {
                context.Model.SetLayerTarget(layer, new BlockLayerTarget(block));
                context.BlockUses.Add((layer, block));
                var parameters = block.Parameters.Select(p => p.Name.Text).ToList();
                var bound = ArgumentMatcher.Match(parameters, block.Parameters.Select(p => p.Default is null).ToList(), arguments,
                    $"block '{name}'", layer.Name.Span, context.Source, context.Diagnostics);
                context.Bindings.Arguments[layer] = bound;
                for (int i = 0; i < parameters.Count; i++)
                {
                    if (bound.ByParameter[i] is { } argument)
                        expressions.Expect(argument.Value, expressions.Bind(argument.Value, scope), ParameterTypeOf(block.Parameters[i].Type), $"argument '{parameters[i]}' of {name}");
                }
                BindUnmatched(arguments, bound, scope);
                return;
            }

            var variable = scope.Lookup(name);
            if (variable is not null)
            {
                context.Used.Add(variable);
                if (variable.Type is DslType.Activation or DslType.Unknown && variable.Kind != SymbolKind.Function)
                {
                    context.Model.SetLayerTarget(layer, new ActivationVariableTarget(variable));
                    if (layer.Arguments is { Count: > 0 })
                        context.Report(DiagnosticCatalog.ArgumentsOnActivationValue, layer.Name.Span, name);
                }
                else
                {
                    context.Report(DiagnosticCatalog.NotALayer, layer.Name.Span, name, ExpressionBinder.DescribeSymbol(variable));
                }
                BindArgumentValues(arguments, scope);
                return;
            }

            var candidates = Builtins.Layers.Keys.Concat(context.Declarations.Blocks.Keys)
                .Concat(scope.Visible().Where(s => s.Type == DslType.Activation).Select(s => s.Name));
            string hint = context.Declarations.Find(name) is { } other
                ? $"; '{name}' is a {(other is NetworkDeclaration ? "network" : "variant")}, and only blocks can be used as layers"
                : Suggestions.DidYouMean(name, candidates);
            context.Report(DiagnosticCatalog.UnknownLayer, layer.Name.Span, name, hint);
            BindArgumentValues(arguments, scope);
        }

        /// <summary>Binds arguments that matched no parameter, so their names are still resolved.</summary>
        /// <summary><c>resize(to: p4, bilinear: true)</c>: 'to' names a feature map (FeatureFlow reads it), 'bilinear' is a bool.</summary>
        private void BindResize(ResizeStatement resize, Scope scope)
        {
            var bound = ArgumentMatcher.Match(new[] { "to", "bilinear" }, new[] { true, false }, resize.Arguments, "resize",
                KeywordSpan(resize.Span, "resize"), context.Source, context.Diagnostics);
            context.Bindings.Arguments[resize] = bound;
            if (bound["bilinear"] is { } bilinear)
                expressions.Expect(bilinear.Value, expressions.Bind(bilinear.Value, scope), DslType.Bool, "argument 'bilinear' of resize");
            // A bare name among the arguments not matched (given twice, or under a wrong name) is most likely a feature
            // map: the matcher's diagnostic says what is wrong; binding it as a value would add "unknown name".
            var unmatched = resize.Arguments.Where(argument => argument.Value is not NameExpression).ToEquatableArray();
            BindUnmatched(unmatched, bound, scope);
        }

        private void BindUnmatched(EquatableArray<Argument> arguments, BoundArguments bound, Scope scope)
        {
            foreach (var argument in arguments)
            {
                if (!bound.ByParameter.Any(a => ReferenceEquals(a, argument)))
                    expressions.Bind(argument.Value, scope);
            }
        }

        private void BindArgumentValues(EquatableArray<Argument> arguments, Scope scope)
        {
            foreach (var argument in arguments)
                expressions.Bind(argument.Value, scope);
        }

        private void AddLabel(Dictionary<string, Identifier> labels, Identifier? label)
        {
            if (label is null)
                return;
            if (labels.TryGetValue(label.Text, out var first))
                context.Report(DiagnosticCatalog.DuplicateLabel, label.Span, label.Text, DiagnosticBag.Where(context.Source, first.Span));
            else
                labels[label.Text] = label;
        }

        private static bool IsAllowedAmongPaths(Statement statement) =>
            statement is PathStatement or LetStatement or FunctionStatement or ForStatement or RepeatStatement or IfStatement;

        /// <summary>The span of a statement's leading keyword (or name): the smallest part that says what it is.</summary>
        public static TextSpan StatementKeywordSpan(Statement statement) => statement switch
        {
            LayerStatement layer => layer.Name.Span,
            GroupStatement group => group.Label.Span,
            ParallelStatement parallel => KeywordSpan(parallel.Span, "parallel"),
            SplitStatement split => KeywordSpan(split.Span, "split"),
            ResidualStatement residual => KeywordSpan(residual.Span, "residual"),
            DenseStatement dense => KeywordSpan(dense.Span, "dense"),
            InputStatement input => KeywordSpan(input.Span, "input"),
            _ => statement.Span,
        };

        public static TextSpan KeywordSpan(TextSpan statement, string keyword) =>
            new TextSpan(statement.Start, System.Math.Min(keyword.Length, statement.Length));

        public static DslType ParameterTypeOf(ParameterType type) => type switch
        {
            ParameterType.Int => DslType.Int,
            ParameterType.Float => DslType.Float,
            ParameterType.Activation => DslType.Activation,
            _ => DslType.Bool,
        };
    }
}
