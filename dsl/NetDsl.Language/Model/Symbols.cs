using NetDsl.Syntax;

namespace NetDsl.Model
{
    public enum SymbolKind
    {
        /// <summary>A parameter of a network or block.</summary>
        Parameter,
        /// <summary><c>let name = value</c></summary>
        Let,
        /// <summary><c>let name(a, b) = body</c></summary>
        Function,
        /// <summary>A parameter of a let function.</summary>
        FunctionParameter,
        /// <summary>The variable of <c>repeat n as i</c>, <c>dense n as i</c> or <c>for</c>.</summary>
        LoopVariable,
        /// <summary><c>min</c>, <c>divisible</c>, ...</summary>
        BuiltinFunction,
        /// <summary><c>in</c>: the channels entering the block (or the network's input channels).</summary>
        In,
        /// <summary><c>channels</c>: the channel count at this point.</summary>
        Channels,
        /// <summary>A built-in activation used as a value: <c>relu</c>, <c>hswish</c>, ...</summary>
        Activation,
    }

    /// <summary>
    /// A named thing an expression or layer can refer to. <see cref="Declaration"/> is the identifier that
    /// declares it (null for built-ins); compare symbols by reference.
    /// </summary>
    public sealed class Symbol
    {
        public Symbol(SymbolKind kind, string name, Identifier? declaration, DslType type)
        {
            Kind = kind;
            Name = name;
            Declaration = declaration;
            Type = type;
        }

        public SymbolKind Kind { get; }

        public string Name { get; }

        public Identifier? Declaration { get; }

        /// <summary>The statically known type (<see cref="DslType.Unknown"/> when it depends on evaluation).</summary>
        public DslType Type { get; internal set; }

        /// <summary>For functions: the number of parameters.</summary>
        public int Arity { get; internal set; }

        public override string ToString() => $"{Kind} {Name}";
    }

    /// <summary>The types of the language's values.</summary>
    public enum DslType
    {
        Unknown,
        Int,
        Float,
        Bool,
        Activation,
        Tuple,
        List,
    }

    /// <summary>The built-in layers.</summary>
    public enum BuiltinLayerKind
    {
        Conv,
        DepthwiseConv,
        CompConv,
        Linear,
        BatchNorm,
        Activation,
        CReLU,
        MaxPool,
        AvgPool,
        Flatten,
        Dropout,
        DropPath,
        Shuffle,
        SqueezeExcite,
        TransposedConv,
        Upsample,
    }

    /// <summary>What a <see cref="LayerStatement"/> resolves to.</summary>
    public abstract record LayerTarget;

    /// <summary>A built-in layer; <see cref="Name"/> is as written (<c>relu6</c>, <c>conv</c>).</summary>
    public sealed record BuiltinLayerTarget(BuiltinLayerKind Kind, string Name) : LayerTarget;

    /// <summary>A use of a block.</summary>
    public sealed record BlockLayerTarget(BlockDeclaration Block) : LayerTarget;

    /// <summary>A let or loop variable whose value is an activation (<c>for (k, act) in [...] { ... act }</c>).</summary>
    public sealed record ActivationVariableTarget(Symbol Variable) : LayerTarget;

    /// <summary>A variant and the network it derives from (null when the target is unknown or not a network).</summary>
    public sealed record VariantInfo(VariantDeclaration Declaration, NetworkDeclaration? Target);
}
