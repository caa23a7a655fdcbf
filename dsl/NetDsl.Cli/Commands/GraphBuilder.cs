using System.Globalization;
using NetDsl.Model;

namespace NetDsl.Cli.Commands;

/// <summary>
/// Turns a network's summary rows into a diagram: the rows' depths give the tree (containers become clusters,
/// layers become nodes) and each container's <see cref="LayerStructure"/> says how data flows through it.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<GraphEdge> edges = new();
    private int nodeCount;
    private int clusterCount;

    private GraphBuilder()
    {
    }

    public static Graph Build(NetworkReport network)
    {
        var builder = new GraphBuilder();
        var root = new GraphCluster("root", GraphClusterKind.Sequence, Caption(network));
        var input = builder.AddNode(root, GraphNodeKind.Input, new[] { "input", network.Input.ToString() }, "input");
        var exits = new Dictionary<string, Exit>(StringComparer.Ordinal);
        builder.PlaceAll(Tree(network.Layers), new Exit(input.Id, network.Input), root, exits);
        // A network with several outputs: one node each, fed by the row that computes it.
        foreach (var output in network.Outputs)
        {
            var node = builder.AddNode(root, GraphNodeKind.Input, new[] { output.Name, output.Shape.ToString() }, output.Name);
            builder.Connect(exits.TryGetValue(output.Source, out var exit) ? exit.Node : input.Id, node.Id);
        }
        return new Graph(root, builder.edges);
    }

    /// <summary>A summary row with the rows directly under it.</summary>
    private sealed record RowTree(LayerReport Row, List<RowTree> Children);

    /// <summary>
    /// The node whose output flows on, that output's shape (null if unknown), and whether it is the fork of a parallel or
    /// split. <see cref="Others"/>: further nodes feeding the next one (the inputs of a merge or of a block taking several).
    /// </summary>
    private readonly record struct Exit(string Node, FeatureShape? Shape, bool IsFork = false, IReadOnlyList<string>? Others = null);

    /// <summary>Rows come in pre-order with their depth, so each row's parent is the nearest earlier row one level up.</summary>
    private static List<RowTree> Tree(IEnumerable<LayerReport> rows)
    {
        var roots = new List<RowTree>();
        var open = new Stack<RowTree>();
        foreach (var row in rows)
        {
            while (open.Count > 0 && open.Peek().Row.Depth >= row.Depth)
                open.Pop();
            var item = new RowTree(row, new List<RowTree>());
            (open.Count == 0 ? roots : open.Peek().Children).Add(item);
            open.Push(item);
        }
        return roots;
    }

    /// <summary>
    /// The rows of one level in order. A row with <see cref="LayerReport.Sources"/> reads named feature maps rather than the
    /// row before it: its edges come from those rows' nodes (so a named feature map is one node with several edges out).
    /// </summary>
    private Exit PlaceAll(IEnumerable<RowTree> items, Exit entry, GraphCluster parent, Dictionary<string, Exit>? exits = null)
    {
        exits ??= new Dictionary<string, Exit>(StringComparer.Ordinal);
        var start = entry;
        foreach (var item in items)
        {
            if (item.Row.Sources is { Count: > 0 } sources)
            {
                var from = sources.Select(source => Source(source, start, exits)).ToList();
                entry = from[0] with { IsFork = false, Others = from.Skip(1).Select(e => e.Node).Distinct().ToList() };
            }
            entry = Place(item, entry, parent);
            exits[item.Row.Path] = entry;
        }
        return entry;
    }

    /// <summary>A source's node: a row of this level, the level's input (""), or the level's input number k ("#k").</summary>
    private static Exit Source(string source, Exit start, Dictionary<string, Exit> exits)
    {
        if (exits.TryGetValue(source, out var exit))
            return exit;
        if (source.StartsWith('#') && int.TryParse(source.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && start.Others is { } others && index - 1 < others.Count)
            return new Exit(others[index - 1], null);
        return start with { Others = null };
    }

    private Exit Place(RowTree item, Exit entry, GraphCluster parent)
    {
        var row = item.Row;
        switch (row.Structure)
        {
            case LayerStructure.Sequence:
                return PlaceAll(item.Children, entry, AddCluster(parent, GraphClusterKind.Sequence, row));
            case LayerStructure.ParallelConcat:
            case LayerStructure.ParallelAdd:
            case LayerStructure.Split:
                return PlacePaths(item, entry, AddCluster(parent, GraphClusterKind.Parallel, row));
            case LayerStructure.Residual:
                return PlaceResidual(item, entry, AddCluster(parent, GraphClusterKind.Residual, row));
            case LayerStructure.Dense:
                return PlaceDense(item, entry, AddCluster(parent, GraphClusterKind.Dense, row));
            default:
                // A layer, or a built-in made of parts (se, compconv) whose inner rows are weights rather than a path.
                var node = AddNode(parent, row.Sources is { Count: > 1 } ? GraphNodeKind.Junction : GraphNodeKind.Layer, LayerLines(row), row.Path);
                Connect(entry.Node, node.Id, fork: entry.IsFork);
                foreach (var other in entry.Others ?? [])
                    Connect(other, node.Id);
                return new Exit(node.Id, row.Output);
        }
    }

    /// <summary>Fans the entry out to every path and joins the paths' outputs in a concat or add node.</summary>
    private Exit PlacePaths(RowTree item, Exit entry, GraphCluster cluster)
    {
        var row = item.Row;
        var fork = entry;
        if (row.Structure == LayerStructure.Split && item.Children.Count > 0)
        {
            var share = entry.Shape is { } shape ? shape with { Channels = shape.Channels / item.Children.Count } : null;
            var split = AddNode(cluster, GraphNodeKind.Junction, new[] { $"split {item.Children.Count}", $"{Shape(share)} each" }, row.Path);
            Connect(entry.Node, split.Id, fork: entry.IsFork);
            fork = new Exit(split.Id, share);
        }
        fork = fork with { IsFork = true };
        var outputs = item.Children.Select(path => Place(path, fork, cluster)).ToList();
        string merge = row.Structure == LayerStructure.ParallelAdd ? "add" : "concat";
        var join = AddNode(cluster, GraphNodeKind.Junction, new[] { merge, Shape(row.Output) }, row.Path);
        foreach (var output in outputs)
            Connect(output.Node, join.Id);
        return new Exit(join.Id, row.Output);
    }

    /// <summary>The body in sequence, then an add node fed by the body and, dashed, by the skip (through the projection if there is one).</summary>
    private Exit PlaceResidual(RowTree item, Exit entry, GraphCluster cluster)
    {
        var row = item.Row;
        // The checker names the two parts body.* and shortcut.*, the residual's state-dict layout.
        var body = item.Children.Where(child => child.Row.Path.StartsWith(row.Path + ".body.", StringComparison.Ordinal));
        var shortcut = item.Children.Where(child => child.Row.Path.StartsWith(row.Path + ".shortcut.", StringComparison.Ordinal));
        var bodyExit = PlaceAll(body, entry, cluster);

        string skip = entry.Node;
        foreach (var projection in shortcut)
        {
            var node = AddNode(cluster, GraphNodeKind.Layer, LayerLines(projection.Row), projection.Row.Path);
            Connect(skip, node.Id, dashed: true);
            skip = node.Id;
        }
        var add = AddNode(cluster, GraphNodeKind.Junction, new[] { "add", Shape(row.Output) }, row.Path);
        Connect(bodyExit.Node, add.Id);
        Connect(skip, add.Id, dashed: true);
        return new Exit(add.Id, row.Output);
    }

    /// <summary>Each dense layer reads everything so far; its output is concatenated to that (the dashed edge carries the old features).</summary>
    private Exit PlaceDense(RowTree item, Exit entry, GraphCluster cluster)
    {
        var current = entry;
        foreach (var layer in item.Children)
        {
            var output = Place(layer, current, cluster);
            var joined = current.Shape is { } features && output.Shape is { } added
                ? features with { Channels = features.Channels + added.Channels }
                : null;
            var concat = AddNode(cluster, GraphNodeKind.Junction, new[] { "concat", Shape(joined) }, layer.Row.Path);
            Connect(output.Node, concat.Id);
            Connect(current.Node, concat.Id, dashed: true);
            current = new Exit(concat.Id, joined);
        }
        return current;
    }

    private GraphNode AddNode(GraphCluster parent, GraphNodeKind kind, IReadOnlyList<string> lines, string tooltip)
    {
        var node = new GraphNode($"n{nodeCount++}", kind, lines, tooltip);
        parent.Members.Add(node);
        return node;
    }

    private GraphCluster AddCluster(GraphCluster parent, GraphClusterKind kind, LayerReport row)
    {
        var lines = new List<string> { row.Description };
        string figures = Shape(row.Output) + (row.Parameters > 0 ? ", " + Parameters(row.Parameters) : "");
        lines.Add(figures);
        var cluster = new GraphCluster($"cluster_{clusterCount++}", kind, lines, row.Path);
        parent.Members.Add(cluster);
        return cluster;
    }

    private void Connect(string from, string to, bool dashed = false, bool fork = false) => edges.Add(new GraphEdge(from, to, dashed, fork));

    /// <summary>"conv 3x3/2, 32", "32x112x112", and "864 params" when the layer has any.</summary>
    private static IReadOnlyList<string> LayerLines(LayerReport row)
    {
        var lines = new List<string> { row.Description, Shape(row.Output) };
        if (row.Parameters > 0)
            lines.Add(Parameters(row.Parameters));
        return lines;
    }

    private static IReadOnlyList<string> Caption(NetworkReport network) => new[]
    {
        network.VariantName is null ? network.Name : $"{network.Name} (variant of {network.NetworkName})",
        string.Format(CultureInfo.InvariantCulture, "input {0}, {1:N0} parameters, {2:F2} M MACs, {3:F2} MiB",
            network.Input, network.Parameters, network.Macs / 1e6, network.SizeMiB),
    };

    private static string Shape(FeatureShape? shape) => shape?.ToString() ?? "?";

    private static string Parameters(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + " params";
}
