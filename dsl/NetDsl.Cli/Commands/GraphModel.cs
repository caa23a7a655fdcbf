namespace NetDsl.Cli.Commands;

/// <summary>What a diagram node stands for; the DOT writer styles each differently.</summary>
internal enum GraphNodeKind
{
    /// <summary>The network's input features.</summary>
    Input,

    /// <summary>A layer (or a built-in made of parts, such as se), drawn as one box.</summary>
    Layer,

    /// <summary>Where paths join or fork: concat, add, split.</summary>
    Junction,
}

/// <summary>What a cluster stands for; the DOT writer gives each a light fill of its own.</summary>
internal enum GraphClusterKind
{
    /// <summary>A block use, labelled group, path or dense layer: its inside runs in sequence.</summary>
    Sequence,
    Parallel,
    Residual,
    Dense,
}

/// <summary>
/// A box in the diagram. <see cref="Lines"/> and <see cref="Tooltip"/> (the state-dict path, shown on hover in
/// SVG viewers) are plain text, escaped only when written.
/// </summary>
internal sealed record GraphNode(string Id, GraphNodeKind Kind, IReadOnlyList<string> Lines, string Tooltip) : IGraphMember;

/// <summary>What a cluster holds: nodes and further clusters, kept in the order of the network (Graphviz lays out in that order).</summary>
internal interface IGraphMember
{
}

/// <summary>
/// Data flowing from one node to another; a residual's skip is <see cref="Dashed"/>. A <see cref="Fork"/> edge
/// starts a path of a parallel or split: Graphviz keeps those short, so every path hangs from the fork.
/// </summary>
internal sealed record GraphEdge(string From, string To, bool Dashed, bool Fork);

/// <summary>A framed group of nodes (a container of the network), possibly holding further clusters.</summary>
internal sealed class GraphCluster(string id, GraphClusterKind kind, IReadOnlyList<string> lines, string tooltip = "") : IGraphMember
{
    public string Id { get; } = id;
    public GraphClusterKind Kind { get; } = kind;
    public IReadOnlyList<string> Lines { get; } = lines;
    public string Tooltip { get; } = tooltip;
    public List<IGraphMember> Members { get; } = new();
}

/// <summary>A whole diagram: the top-level nodes and clusters live in <see cref="Root"/>, whose lines are the graph's caption.</summary>
internal sealed record Graph(GraphCluster Root, IReadOnlyList<GraphEdge> Edges);
