using System.Collections.Generic;
using System.Linq;
using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    /// <summary>
    /// Builds the bound tree of a declaration the checker accepted. Names, layer targets, argument matching and the
    /// auto bias are the checker's (read from its <see cref="SemanticModel"/>); defaults come from the
    /// <see cref="LayerCatalogue"/> and the blocks' declarations; types are inferred here, as precisely as a typed
    /// back end needs them.
    /// </summary>
    public static class Binder
    {
        /// <summary>
        /// The bound tree of <paramref name="declaration"/>, one of the declarations checked into <paramref name="model"/>
        /// without errors (a variant's network too). Throws <see cref="BindingException"/> on a construct the tree cannot
        /// describe; the checker's rules are meant to leave none.
        /// </summary>
        public static BoundDeclaration Bind(Declaration declaration, SemanticModel model)
        {
            var binder = new TreeBuilder(model);
            return declaration switch
            {
                NetworkDeclaration network => new BoundNetwork(network.Name.Text, binder.Parameters(network.Parameters), binder.BindBody(network.Body))
                {
                    Features = binder.FeatureNames,
                },
                BlockDeclaration block => new BoundBlock(block.Name.Text, binder.Parameters(block.Parameters), binder.BindBody(block.Body))
                {
                    Features = binder.FeatureNames,
                },
                VariantDeclaration variant => binder.Variant(variant),
                _ => throw new BindingException(declaration.Span, "unknown declaration"),
            };
        }

        private static BoundGraphArity? GraphArity(BlockDeclaration block) =>
            FeatureArity.Of(block.Body) is { IsGraph: true } arity ? new BoundGraphArity(arity.Inputs, arity.Outputs) : null;

        /// <summary>The binding of one declaration: its variables and let functions, by the checker's symbols.</summary>
        private sealed class TreeBuilder
        {
            private readonly SemanticModel model;
            private readonly Dictionary<Symbol, BoundVariable> variables = new Dictionary<Symbol, BoundVariable>();
            private readonly Dictionary<Symbol, FunctionBuilder> functions = new Dictionary<Symbol, FunctionBuilder>();
            private readonly Dictionary<string, int> slots = new Dictionary<string, int>();
            private int nextId;

            public TreeBuilder(SemanticModel model) => this.model = model;

            /// <summary>The declaration's feature map names by slot, once its body is bound.</summary>
            public EquatableArray<string> FeatureNames => slots.OrderBy(slot => slot.Value).Select(slot => slot.Key).ToEquatableArray();

            /// <summary>A name's slot: the names are numbered in the order they first appear (the checker saw each defined before use).</summary>
            private BoundFeature Feature(Identifier name)
            {
                if (!slots.TryGetValue(name.Text, out int slot))
                {
                    slot = slots.Count;
                    slots[name.Text] = slot;
                }
                return new BoundFeature(name.Text, slot);
            }

            private EquatableArray<BoundFeature> Features(EquatableArray<Identifier> names) => names.Select(Feature).ToEquatableArray();

            private BindingTable Bindings => model.Bindings;

            // ---- declarations ----

            public EquatableArray<BoundParameter> Parameters(EquatableArray<Parameter> parameters) =>
                parameters.Select(parameter => new BoundParameter(
                        Declare(parameter.Name, VariableKind.Parameter, BoundType.Of(parameter.Type)), parameter.Type,
                        parameter.Default == null ? null : ConstantFolder.Literal(parameter.Default, parameter.Type)))
                    .ToEquatableArray();

            public BoundVariant Variant(VariantDeclaration variant)
            {
                var network = model.Variants.TryGetValue(variant.Name.Text, out var info) && info.Target is { } target ? target
                    : throw new BindingException(variant.Target.Span, $"'{variant.Target.Text}' is not a network");
                var arguments = Bindings.ArgumentsOf(variant);
                var parameters = network.Parameters.Select((parameter, i) =>
                {
                    var value = arguments?.ByParameter[i]?.Value ?? parameter.Default;
                    return new BoundParameter(new BoundVariable(nextId++, parameter.Name.Text, VariableKind.Parameter, BoundType.Of(parameter.Type)),
                        parameter.Type, value == null ? null : ConstantFolder.Literal(value, parameter.Type));
                }).ToEquatableArray();
                return new BoundVariant(variant.Name.Text, network.Name.Text, parameters, variant.Input == null ? null : Shape(variant.Input));
            }

            private BoundShape Shape(ShapeSyntax shape) => new BoundShape(
                Whole(Bind(shape.Channels), "a channel count", isChannelCount: true),
                Whole(Bind(shape.Height), "the input height"),
                Whole(Bind(shape.Width), "the input width"));

            // ---- bodies ----

            /// <summary>The features' flatness along a sequence: <c>flatten</c> sets it, and bn reads it.</summary>
            private sealed class Flatness
            {
                public bool IsFlat { get; set; }
            }

            public BoundBody BindBody(Body body) => BindBody(body, new Flatness(), paths: false);

            /// <param name="paths">The items of a parallel or split: paths, and loops, conditionals, lets and functions around them.</param>
            private BoundBody BindBody(Body body, Flatness flatness, bool paths)
            {
                var statements = new List<BoundStatement>();
                var definitions = new List<(int Index, FunctionBuilder Function)>();
                foreach (var statement in body.Statements)
                {
                    if (statement is FunctionStatement function)
                    {
                        // Its typed bodies are known once the calls in its scope are bound: filled in below.
                        var symbol = DeclaredSymbol(function.Name);
                        var builder = new FunctionBuilder(nextId++, function);
                        functions[symbol] = builder;
                        definitions.Add((statements.Count, builder));
                        statements.Add(null!);
                        continue;
                    }
                    statements.Add(paths ? PathItem(statement, flatness) : BindStatement(statement, flatness));
                }
                foreach (var (index, builder) in definitions)
                    statements[index] = new BoundFunctionDefinition(builder.Build());
                return new BoundBody(statements.ToEquatableArray());
            }

            private BoundStatement BindStatement(Statement statement, Flatness flatness)
            {
                switch (statement)
                {
                    case InputStatement input:
                        return new BoundInput(Shape(input.Shape));
                    case LetStatement let:
                    {
                        var value = Bind(let.Value);
                        return new BoundLet(Declare(let.Name, VariableKind.Let, value.Type), value);
                    }
                    case LayerStatement layer:
                        return Layer(layer, flatness);
                    case GroupStatement group:
                        return new BoundGroup(group.Label.Text, BindBody(group.Body, flatness, paths: false));
                    case RepeatStatement repeat:
                        return Repeat(repeat, flatness, paths: false);
                    case ForStatement loop:
                        return For(loop, flatness, paths: false);
                    case IfStatement conditional:
                        return If(conditional, flatness, paths: false);
                    case ParallelStatement parallel:
                        return Paths(parallel.Paths, isSplit: false, parallel.Merge, flatness);
                    case SplitStatement split:
                        return Paths(split.Paths, isSplit: true, MergeKind.Concat, flatness);
                    case ResidualStatement residual:
                    {
                        var project = Bindings.ArgumentsOf(residual)?["project"] is { } argument ? Bind(argument.Value) : new BoundBoolLiteral(false);
                        var when = residual.When == null ? null : Bind(residual.When);
                        return new BoundResidual(project, when, BindBody(residual.Body, flatness, paths: false));
                    }
                    case DenseStatement dense:
                    {
                        var count = Whole(Bind(dense.Count), "the dense count");
                        var index = dense.Index == null ? null : Declare(dense.Index, VariableKind.LoopVariable, BoundType.Int);
                        return new BoundDense(count, index, BindBody(dense.Body, new Flatness(), paths: false));
                    }
                    case PathStatement path:
                        throw new BindingException(path.Span, "'path' is only allowed inside 'parallel' or 'split'");
                    case NameFeaturesStatement named:
                        return new BoundNameFeatures(Features(named.Names));
                    case InputsStatement inputs:
                        return new BoundInputs(Features(inputs.Names));
                    case FromStatement from:
                        return new BoundFrom(Features(from.Names));
                    case OutputsStatement outputs:
                        return new BoundOutputs(Features(outputs.Names));
                    case MergeFeaturesStatement merge:
                        return new BoundMerge(merge.Kind, Features(merge.Inputs), merge.Label?.Text);
                    case ResizeStatement resize:
                    {
                        var arguments = Bindings.ArgumentsOf(resize);
                        var target = arguments?["to"]?.Value is NameExpression { Name: var name } ? Feature(name)
                            : throw new BindingException(resize.Span, "resize needs 'to:' and a feature map");
                        var bilinear = arguments?["bilinear"] is { } given ? Bind(given.Value) : new BoundBoolLiteral(false);
                        return new BoundResize(target, bilinear);
                    }
                    default:
                        throw new BindingException(statement.Span, "unknown statement");
                }
            }

            private BoundStatement PathItem(Statement statement, Flatness flatness)
            {
                switch (statement)
                {
                    case PathStatement path:
                        return new BoundPath(path.Label?.Text, BindBody(path.Body, new Flatness { IsFlat = flatness.IsFlat }, paths: false));
                    case ForStatement loop:
                        return For(loop, flatness, paths: true);
                    case RepeatStatement repeat:
                        return Repeat(repeat, flatness, paths: true);
                    case IfStatement conditional:
                        return If(conditional, flatness, paths: true);
                    case LetStatement _:
                        return BindStatement(statement, flatness);
                    default:
                        throw new BindingException(statement.Span, "only 'path { ... }' items may appear directly inside parallel or split");
                }
            }

            private BoundPaths Paths(Body paths, bool isSplit, MergeKind merge, Flatness flatness)
            {
                var fixedCount = paths.Statements.All(statement => statement is PathStatement || statement is LetStatement || statement is FunctionStatement);
                return new BoundPaths(isSplit, merge, BindBody(paths, flatness, paths: true), fixedCount);
            }

            private BoundRepeat Repeat(RepeatStatement repeat, Flatness flatness, bool paths)
            {
                var count = Whole(Bind(repeat.Count), "the repeat count");
                var index = repeat.Index == null ? null : Declare(repeat.Index, VariableKind.LoopVariable, BoundType.Int);
                return new BoundRepeat(count, index, BindBody(repeat.Body, flatness, paths));
            }

            private BoundFor For(ForStatement loop, Flatness flatness, bool paths)
            {
                var pattern = loop.Pattern.Names;
                if (loop.Source is RangeExpression range)
                {
                    var bounds = new BoundRange(Whole(Bind(range.From), "the start of a range"), Whole(Bind(range.To), "the end of a range"));
                    var variable = Declare(pattern[0], VariableKind.LoopVariable, BoundType.Int);
                    return new BoundFor(new[] { variable }.ToEquatableArray(), bounds, null, false, BindBody(loop.Body, flatness, paths));
                }
                var source = Bind(loop.Source);
                var element = source.Type is ListType list ? list.Element : BoundType.Int;
                EquatableArray<BoundVariable> variables;
                var destructures = loop.Pattern.IsTuple && element is TupleType tuple && tuple.Items.Count == pattern.Count;
                if (destructures)
                    variables = pattern.Select((name, i) => Declare(name, VariableKind.LoopVariable, ((TupleType)element).Items[i])).ToEquatableArray();
                else
                    variables = new[] { Declare(pattern[0], VariableKind.LoopVariable, element) }.ToEquatableArray();
                return new BoundFor(variables, null, source, destructures, BindBody(loop.Body, flatness, paths));
            }

            private BoundIf If(IfStatement conditional, Flatness flatness, bool paths) =>
                new BoundIf(Bind(conditional.Condition), BindBody(conditional.Then, flatness, paths),
                    conditional.Else == null ? null : BindBody(conditional.Else, flatness, paths));

            // ---- layers ----

            private BoundStatement Layer(LayerStatement layer, Flatness flatness)
            {
                var label = layer.Label?.Text;
                switch (model.GetLayerTarget(layer))
                {
                    case BuiltinLayerTarget builtin:
                        return BuiltinLayer(layer, LayerCatalogue.Layers[builtin.Name], flatness) with { SharedBy = SharedBy(layer) };
                    case BlockLayerTarget block:
                        return GraphArity(block.Block) is { } arity
                            ? BlockUse(layer, block.Block) with { Graph = arity }
                            : BlockUse(layer, block.Block) with { SharedBy = SharedBy(layer) };
                    case ActivationVariableTarget activation when variables.TryGetValue(activation.Variable, out var variable) && variable.Type == BoundType.Activation:
                        return new BoundActivationLayer(new BoundVariableReference(variable), label) { SharedBy = SharedBy(layer) };
                    default:
                        throw new BindingException(layer.Name.Span, $"unknown layer '{layer.Name.Text}'");
                }
            }

            private int SharedBy(LayerStatement layer) => model.GetFeatureCount(layer) ?? 1;

            private BoundBuiltinLayer BuiltinLayer(LayerStatement layer, LayerDefinition definition, Flatness flatness)
            {
                var given = Bindings.ArgumentsOf(layer);
                var values = new Dictionary<string, BoundLayerArgument>();
                BoundExpression? Value(string parameter) => values[parameter].Value;
                // Given arguments and the defaults that need no other parameter first; then those computed from others.
                foreach (var parameter in definition.Parameters)
                {
                    if (given?[parameter.Name] is { } argument)
                    {
                        values[parameter.Name] = new BoundLayerArgument(parameter.Name, BoundType.Of(parameter.Type),
                            parameter.Type == DslType.Int
                                ? Whole(Bind(argument.Value), $"{parameter.Name} of {definition.Name}", IsChannelCount(parameter))
                                : Bind(argument.Value),
                            IsGiven: true);
                        continue;
                    }
                    BoundExpression? value = parameter.Default switch
                    {
                        DefaultRule.Constant => Constant(parameter),
                        DefaultRule.AutoBias => new BoundBoolLiteral(model.GetAutoBias(layer) ?? true),
                        DefaultRule.InputChannels => new BoundCurrentChannels(),
                        DefaultRule.Required => throw new BindingException(layer.Span, $"{definition.Name} needs the argument '{parameter.Name}'"),
                        _ => null,
                    };
                    values[parameter.Name] = new BoundLayerArgument(parameter.Name, BoundType.Of(parameter.Type), value, IsGiven: false);
                }
                foreach (var parameter in definition.Parameters.Where(p => !values[p.Name].IsGiven))
                {
                    BoundExpression? value = parameter.Default switch
                    {
                        DefaultRule.SameAs => Value((string)parameter.Value!),
                        DefaultRule.SamePadding => SamePadding(Value("k")!, Value("dilation")!),
                        // se's squeeze count: the input channels over reduce, at least 1.
                        DefaultRule.Derived when definition.Kind == BuiltinLayerKind.SqueezeExcite => new BoundBuiltinCall(BuiltinFunction.Max,
                            new BoundExpression[] { new BoundIntLiteral(1), new BoundBinary(BinaryOperator.FloorDivide, new BoundCurrentChannels(), Value("reduce")!, BoundType.Int) }
                                .ToEquatableArray(), BoundType.Int),
                        _ => values[parameter.Name].Value,
                    };
                    values[parameter.Name] = values[parameter.Name] with { Value = value };
                }
                var arguments = definition.Parameters.Select(p => values[p.Name]).ToEquatableArray();
                var isGlobalPooling = definition.GlobalModule != null && values["k"].Value == null;
                var module = isGlobalPooling ? definition.GlobalModule!
                    : flatness.IsFlat && definition.FlatModule != null ? definition.FlatModule
                    : definition.Module;
                var bound = new BoundBuiltinLayer(definition.Name, definition.Kind, module, arguments, flatness.IsFlat, layer.Label?.Text);
                if (definition.Kind == BuiltinLayerKind.Flatten)
                    flatness.IsFlat = true;
                return bound;
            }

            private static bool IsChannelCount(LayerParameter parameter) => parameter.Name is "out" or "squeeze";

            private static BoundExpression Constant(LayerParameter parameter) => parameter.Type switch
            {
                DslType.Int => new BoundIntLiteral(parameter.IntValue),
                DslType.Float => new BoundFloatLiteral(parameter.FloatValue),
                DslType.Bool => new BoundBoolLiteral(parameter.BoolValue),
                _ => new BoundActivationLiteral(parameter.ActivationValue),
            };

            /// <summary><see cref="DefaultRule.SamePadding"/>, folded when kernel and dilation are literals.</summary>
            private static BoundExpression SamePadding(BoundExpression kernel, BoundExpression dilation) =>
                IntegerLiteral(kernel) is { } k && IntegerLiteral(dilation) is { } d
                    ? new BoundIntLiteral(d * (k - 1) / 2)
                    : new BoundSamePadding(kernel, dilation);

            private static long? IntegerLiteral(BoundExpression expression) => expression switch
            {
                BoundIntLiteral literal => literal.Value,
                BoundUnary { Operator: UnaryOperator.Negate, Operand: BoundIntLiteral literal } => -literal.Value,
                _ => null,
            };

            private BoundBlockUse BlockUse(LayerStatement layer, BlockDeclaration block)
            {
                var given = Bindings.ArgumentsOf(layer);
                var written = layer.Arguments ?? EquatableArray<Argument>.Empty;
                var arguments = block.Parameters.Select((parameter, i) =>
                {
                    var type = BoundType.Of(parameter.Type);
                    if (given?.ByParameter[i] is { } argument)
                    {
                        var order = Enumerable.Range(0, written.Count).First(j => ReferenceEquals(written[j], argument));
                        return new BoundBlockArgument(parameter.Name.Text, type,
                            type == BoundType.Int ? Whole(Bind(argument.Value), $"argument '{parameter.Name.Text}' of {block.Name.Text}") : Bind(argument.Value),
                            order, argument.Name != null);
                    }
                    var value = parameter.Default == null
                        ? throw new BindingException(layer.Span, $"block '{block.Name.Text}' needs the argument '{parameter.Name.Text}'")
                        : ConstantFolder.Literal(parameter.Default, parameter.Type);
                    return new BoundBlockArgument(parameter.Name.Text, type, value, null, false);
                }).ToEquatableArray();
                return new BoundBlockUse(block.Name.Text, arguments, layer.Label?.Text);
            }

            // ---- expressions ----

            /// <summary>An int where one is needed: a float value is marked to be checked whole where it is evaluated.</summary>
            private static BoundExpression Whole(BoundExpression value, string what, bool isChannelCount = false) =>
                value.Type == BoundType.Float ? new BoundWholeNumber(value, what, isChannelCount) : value;

            private BoundExpression Bind(Expression expression)
            {
                switch (expression)
                {
                    case NumberLiteral number:
                        return number.IsInteger ? new BoundIntLiteral((long)number.Value) : new BoundFloatLiteral(number.Value);
                    case BooleanLiteral boolean:
                        return new BoundBoolLiteral(boolean.Value);
                    case NameExpression name:
                        return Name(name);
                    case UnaryExpression unary:
                        return new BoundUnary(unary.Operator, Bind(unary.Operand));
                    case BinaryExpression binary:
                    {
                        var left = Bind(binary.Left);
                        var right = Bind(binary.Right);
                        return new BoundBinary(binary.Operator, left, right, BinaryType(binary.Operator, left.Type, right.Type));
                    }
                    case ConditionalExpression conditional:
                    {
                        var condition = Bind(conditional.Condition);
                        var whenTrue = Bind(conditional.WhenTrue);
                        var whenFalse = Bind(conditional.WhenFalse);
                        return new BoundConditional(condition, whenTrue, whenFalse, BoundType.Unify(whenTrue.Type, whenFalse.Type));
                    }
                    case CallExpression call:
                        return Call(call);
                    case IndexExpression index:
                    {
                        var target = Bind(index.Target);
                        if (target.Type is TupleType tuple)
                        {
                            if (!(index.Index is NumberLiteral literal && literal.IsInteger && literal.Value >= 0 && literal.Value < tuple.Items.Count))
                                throw new BindingException(index.Index.Span, "a tuple is indexed with a whole number literal within its length");
                            return new BoundTupleItem(target, (int)literal.Value, tuple.Items[(int)literal.Value]);
                        }
                        return new BoundListIndex(target, Bind(index.Index), target.Type is ListType list ? list.Element : BoundType.Int);
                    }
                    case TupleExpression tuple:
                    {
                        var items = tuple.Items.Select(Bind).ToEquatableArray();
                        return new BoundTuple(items, new TupleType(items.Select(item => item.Type).ToEquatableArray()));
                    }
                    case ListExpression list:
                    {
                        if (list.Items.Count == 0)
                            throw new BindingException(list.Span, "an empty list has no element type; give it at least one item");
                        var items = list.Items.Select(Bind).ToEquatableArray();
                        return new BoundList(items, new ListType(items.Select(item => item.Type).Aggregate(BoundType.Unify)));
                    }
                    default:
                        throw new BindingException(expression.Span, "this expression is only allowed as the source of a for loop");
                }
            }

            private static BoundType BinaryType(BinaryOperator op, BoundType left, BoundType right)
            {
                var numeric = left == BoundType.Int && right == BoundType.Int ? BoundType.Int : BoundType.Float;
                return op switch
                {
                    BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply => numeric,
                    BinaryOperator.FloorDivide or BinaryOperator.Modulo or BinaryOperator.Power => numeric,
                    BinaryOperator.Divide => BoundType.Float,
                    _ => BoundType.Bool,
                };
            }

            private BoundExpression Name(NameExpression name)
            {
                var symbol = model.GetSymbol(name) ?? throw new BindingException(name.Span, $"unknown name '{name.Name.Text}'");
                switch (symbol.Kind)
                {
                    case SymbolKind.In:
                        return new BoundInputChannels();
                    case SymbolKind.Channels:
                        return new BoundCurrentChannels();
                    case SymbolKind.Activation:
                        return new BoundActivationLiteral(symbol.Name);
                    case SymbolKind.Function:
                        throw new BindingException(name.Span, $"'{name.Name.Text}' is a function; call it with arguments");
                }
                return variables.TryGetValue(symbol, out var variable) ? new BoundVariableReference(variable)
                    : throw new BindingException(name.Span, $"unknown name '{name.Name.Text}'");
            }

            private BoundExpression Call(CallExpression call)
            {
                var symbol = model.GetSymbol(call) ?? throw new BindingException(call.Function.Span, $"unknown function '{call.Function.Text}'");
                if (symbol.Kind == SymbolKind.Function)
                    return FunctionCall(call, functions.TryGetValue(symbol, out var function) ? function
                        : throw new BindingException(call.Function.Span, $"unknown function '{call.Function.Text}'"));
                var arguments = call.Arguments.Select(argument => Bind(argument.Value)).ToEquatableArray();
                BoundType Element() => arguments[0].Type is ListType list ? list.Element : BoundType.Int;
                return symbol.Name switch
                {
                    "min" => new BoundBuiltinCall(BuiltinFunction.Min, arguments, arguments.Select(a => a.Type).Aggregate(BoundType.Unify)),
                    "max" => new BoundBuiltinCall(BuiltinFunction.Max, arguments, arguments.Select(a => a.Type).Aggregate(BoundType.Unify)),
                    "abs" => new BoundBuiltinCall(BuiltinFunction.Abs, arguments, arguments[0].Type),
                    "ceil" => new BoundBuiltinCall(BuiltinFunction.Ceil, arguments, BoundType.Int),
                    "floor" => new BoundBuiltinCall(BuiltinFunction.Floor, arguments, BoundType.Int),
                    "round" => new BoundBuiltinCall(BuiltinFunction.Round, arguments, BoundType.Int),
                    "len" => new BoundBuiltinCall(BuiltinFunction.Len, arguments, BoundType.Int),
                    "sum" => new BoundBuiltinCall(BuiltinFunction.Sum, arguments, Element()),
                    "divisible" => new BoundBuiltinCall(BuiltinFunction.Divisible, arguments, BoundType.Int),
                    _ => throw new BindingException(call.Function.Span, $"unknown function '{call.Function.Text}'"),
                };
            }

            private BoundExpression FunctionCall(CallExpression call, FunctionBuilder function)
            {
                // In parameter order, as the checker matched them (named arguments may come in any order).
                var matched = Bindings.ArgumentsOf(call);
                var arguments = (matched == null ? call.Arguments.ToArray() : matched.ByParameter.Where(a => a != null).Select(a => a!).ToArray())
                    .Select(argument => Bind(argument.Value)).ToEquatableArray();
                var types = arguments.Select(argument => argument.Type).ToEquatableArray();
                var instance = function.IndexOf(types);
                if (instance < 0)
                {
                    var syntax = function.Syntax;
                    var parameters = syntax.Parameters
                        .Select((parameter, i) => new BoundVariable(nextId++, parameter.Text, VariableKind.FunctionParameter, i < types.Count ? types[i] : BoundType.Float))
                        .ToEquatableArray();
                    var symbols = syntax.Parameters.Select(DeclaredSymbol).ToList();
                    for (var i = 0; i < symbols.Count; i++)
                        variables[symbols[i]] = parameters[i];
                    var body = Bind(syntax.Body);
                    foreach (var symbol in symbols)
                        variables.Remove(symbol);
                    instance = function.Add(types, new BoundFunctionInstance(parameters, body));
                }
                return new BoundFunctionCall(function.Id, function.Syntax.Name.Text, instance, arguments, function.Instances[instance].Body.Type);
            }

            // ---- names ----

            private Symbol DeclaredSymbol(Identifier name) =>
                model.GetDeclaredSymbol(name) ?? throw new BindingException(name.Span, $"'{name.Text}' was not declared by the checker");

            private BoundVariable Declare(Identifier name, VariableKind kind, BoundType type)
            {
                var variable = new BoundVariable(nextId++, name.Text, kind, type);
                variables[DeclaredSymbol(name)] = variable;
                return variable;
            }
        }

        /// <summary>A let function being bound: its typed bodies are added as calls with new argument types are met.</summary>
        private sealed class FunctionBuilder
        {
            private readonly List<EquatableArray<BoundType>> keys = new List<EquatableArray<BoundType>>();

            public FunctionBuilder(int id, FunctionStatement syntax)
            {
                Id = id;
                Syntax = syntax;
            }

            public int Id { get; }

            public FunctionStatement Syntax { get; }

            public List<BoundFunctionInstance> Instances { get; } = new List<BoundFunctionInstance>();

            public int IndexOf(EquatableArray<BoundType> types) => keys.IndexOf(types);

            public int Add(EquatableArray<BoundType> types, BoundFunctionInstance instance)
            {
                keys.Add(types);
                Instances.Add(instance);
                return Instances.Count - 1;
            }

            public BoundFunction Build() => new BoundFunction(Id, Syntax.Name.Text, Instances.ToEquatableArray());
        }
    }
}
