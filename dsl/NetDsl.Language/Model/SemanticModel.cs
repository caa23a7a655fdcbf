using System.Collections.Generic;
using System.Runtime.CompilerServices;
using NetDsl.Syntax;

namespace NetDsl.Model
{
    /// <summary>
    /// What the names of the syntax trees mean, for the C# emitter and tools. Lookups are by node
    /// identity: pass the very nodes of the trees given to the checker.
    /// </summary>
    public sealed class SemanticModel
    {
        private readonly Dictionary<LayerStatement, LayerTarget> layers = new Dictionary<LayerStatement, LayerTarget>(ReferenceComparer<LayerStatement>.Instance);
        private readonly Dictionary<NameExpression, Symbol> names = new Dictionary<NameExpression, Symbol>(ReferenceComparer<NameExpression>.Instance);
        private readonly Dictionary<CallExpression, Symbol> calls = new Dictionary<CallExpression, Symbol>(ReferenceComparer<CallExpression>.Instance);
        private readonly Dictionary<Identifier, Symbol> declared = new Dictionary<Identifier, Symbol>(ReferenceComparer<Identifier>.Instance);
        private readonly Dictionary<LayerStatement, bool> autoBias = new Dictionary<LayerStatement, bool>(ReferenceComparer<LayerStatement>.Instance);
        private readonly Dictionary<Statement, int> featureCounts = new Dictionary<Statement, int>(ReferenceComparer<Statement>.Instance);
        private readonly Dictionary<Declaration, SyntaxTree> trees = new Dictionary<Declaration, SyntaxTree>(ReferenceComparer<Declaration>.Instance);

        internal SemanticModel(
            IReadOnlyDictionary<string, NetworkDeclaration> networks,
            IReadOnlyDictionary<string, BlockDeclaration> blocks,
            IReadOnlyDictionary<string, VariantInfo> variants)
        {
            Networks = networks;
            Blocks = blocks;
            Variants = variants;
        }

        /// <summary>Networks by name (the first declaration when a name is declared twice).</summary>
        public IReadOnlyDictionary<string, NetworkDeclaration> Networks { get; }

        public IReadOnlyDictionary<string, BlockDeclaration> Blocks { get; }

        public IReadOnlyDictionary<string, VariantInfo> Variants { get; }

        /// <summary>How the checker matched the arguments of each call, layer, residual and variant to their parameters.</summary>
        internal Checking.BindingTable Bindings { get; set; } = new Checking.BindingTable();

        /// <summary>What a layer statement applies: a built-in layer, a block, or an activation-valued variable; null if unknown.</summary>
        public LayerTarget? GetLayerTarget(LayerStatement layer) => layers.TryGetValue(layer, out var target) ? target : null;

        /// <summary>What a name refers to; null if unknown.</summary>
        public Symbol? GetSymbol(NameExpression name) => names.TryGetValue(name, out var symbol) ? symbol : null;

        /// <summary>The function a call refers to (built-in or let function); null if unknown.</summary>
        public Symbol? GetSymbol(CallExpression call) => calls.TryGetValue(call, out var symbol) ? symbol : null;

        /// <summary>The symbol an identifier declares (parameter, let, function, function parameter, loop variable).</summary>
        public Symbol? GetDeclaredSymbol(Identifier declaration) => declared.TryGetValue(declaration, out var symbol) ? symbol : null;

        /// <summary>
        /// For <c>conv</c> and <c>dwconv</c>: what <c>bias: auto</c> means here (false when the next statement of
        /// the same body is <c>bn</c>). Only meaningful when the statement does not pass <c>bias</c> itself.
        /// </summary>
        public bool? GetAutoBias(LayerStatement layer) => autoBias.TryGetValue(layer, out var bias) ? bias : null;

        /// <summary>
        /// How many feature maps are current when a layer or block use runs: 1, or several (after <c>from a, b</c> or a block
        /// with several outputs), when one module serves each of them. Null for other statements.
        /// </summary>
        public int? GetFeatureCount(Statement statement) => featureCounts.TryGetValue(statement, out var count) ? count : null;

        /// <summary>The file a declaration comes from.</summary>
        public SyntaxTree? GetTree(Declaration declaration) => trees.TryGetValue(declaration, out var tree) ? tree : null;

        internal void SetLayerTarget(LayerStatement layer, LayerTarget target) => layers[layer] = target;

        internal void SetSymbol(NameExpression name, Symbol symbol) => names[name] = symbol;

        internal void SetSymbol(CallExpression call, Symbol symbol) => calls[call] = symbol;

        internal void SetDeclaredSymbol(Identifier declaration, Symbol symbol) => declared[declaration] = symbol;

        internal void SetAutoBias(LayerStatement layer, bool bias) => autoBias[layer] = bias;

        internal void SetFeatureCount(Statement statement, int count) => featureCounts[statement] = count;

        internal void SetTree(Declaration declaration, SyntaxTree tree) => trees[declaration] = tree;
    }

    /// <summary>Compares syntax nodes by identity: records compare by value, and two files can hold equal nodes.</summary>
    internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
        where T : class
    {
        public static readonly ReferenceComparer<T> Instance = new ReferenceComparer<T>();

        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

        public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
