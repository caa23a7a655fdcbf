using System.Text;

namespace NetDsl.Cli.Commands;

/// <summary>
/// Writes a <see cref="Graph"/> as Graphviz DOT: top to bottom, rounded boxes, lightly filled clusters,
/// monospace text. Ids are generated (n0, cluster_0); every text goes through <see cref="Quote"/>.
/// </summary>
internal static class DotWriter
{
    private const string Font = "monospace";

    public static string Write(Graph graph)
    {
        var dot = new StringBuilder();
        dot.Append("digraph network {\n");
        // newrank: rank all nodes together rather than cluster by cluster, so the fork edges' weight can keep paths up by their fork.
        dot.Append($"  graph [rankdir=TB, newrank=true, fontname={Quote(Font)}, fontsize=12, labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.3, " +
                   $"label={Label(graph.Root.Lines)}];\n");
        dot.Append($"  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#5a6270\", fontname={Quote(Font)}, fontsize=10, margin=\"0.12,0.04\"];\n");
        dot.Append($"  edge [color=\"#5a6270\", arrowsize=0.6];\n");
        WriteContents(graph.Root, dot, "  ");
        foreach (var edge in graph.Edges)
            dot.Append($"  {edge.From} -> {edge.To}{EdgeStyle(edge)};\n");
        dot.Append("}\n");
        return dot.ToString();
    }

    private static void WriteContents(GraphCluster cluster, StringBuilder dot, string indent)
    {
        foreach (var member in cluster.Members)
        {
            switch (member)
            {
                case GraphNode node:
                    dot.Append($"{indent}{node.Id} [label={Label(node.Lines)}, tooltip={Quote(node.Tooltip)}{NodeStyle(node.Kind)}];\n");
                    break;
                case GraphCluster inner:
                    dot.Append($"{indent}subgraph {inner.Id} {{\n");
                    string nested = indent + "  ";
                    dot.Append($"{nested}label={LeftAligned(inner.Lines)}; tooltip={Quote(inner.Tooltip)};\n");
                    dot.Append($"{nested}style=\"rounded,filled\"; {ClusterColors(inner.Kind)}; fontsize=10;\n");
                    WriteContents(inner, dot, nested);
                    dot.Append($"{indent}}}\n");
                    break;
            }
        }
    }

    /// <summary>Dashed for a skip; a heavy weight on a fork's edges keeps short paths up by their fork instead of down by the merge.</summary>
    private static string EdgeStyle(GraphEdge edge) => (edge.Dashed, edge.Fork) switch
    {
        (true, true) => " [style=dashed, weight=4]",
        (true, false) => " [style=dashed]",
        (false, true) => " [weight=4]",
        _ => "",
    };

    private static string NodeStyle(GraphNodeKind kind) => kind switch
    {
        GraphNodeKind.Input => ", fillcolor=\"#e3e6ea\", penwidth=1.5",
        GraphNodeKind.Junction => ", shape=ellipse, style=filled, fillcolor=\"#fff4c2\", color=\"#b89b2e\"",
        _ => "",
    };

    private static string ClusterColors(GraphClusterKind kind) => kind switch
    {
        GraphClusterKind.Parallel => "fillcolor=\"#eaf6ea\"; color=\"#9cc79c\"",
        GraphClusterKind.Residual => "fillcolor=\"#fdf3e3\"; color=\"#e0b878\"",
        GraphClusterKind.Dense => "fillcolor=\"#f3ecfa\"; color=\"#b9a0d8\"",
        _ => "fillcolor=\"#f2f5fa\"; color=\"#a9b6cc\"",
    };

    /// <summary>Lines joined by DOT's centred line break <c>\n</c>, as one quoted string.</summary>
    public static string Label(IEnumerable<string> lines) => "\"" + string.Join("\\n", lines.Select(Escape)) + "\"";

    /// <summary>Lines each ended by DOT's left-justified line break <c>\l</c>, for cluster titles.</summary>
    public static string LeftAligned(IEnumerable<string> lines) => "\"" + string.Concat(lines.Select(line => Escape(line) + "\\l")) + "\"";

    public static string Quote(string text) => "\"" + Escape(text) + "\"";

    /// <summary>
    /// Escapes text for a double-quoted DOT string: backslashes are doubled, so Graphviz's own escapes (\N, \G, \l...)
    /// cannot appear; quotes get a backslash; line breaks become DOT's <c>\n</c>; other control characters a space.
    /// Braces, bars and angle brackets mean nothing inside a quoted label of a non-record shape.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\':
                    escaped.Append("\\\\");
                    break;
                case '"':
                    escaped.Append("\\\"");
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r':
                case '\n':
                    escaped.Append("\\n");
                    break;
                default:
                    escaped.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }
        return escaped.ToString();
    }
}
