using NetDsl.Cli;
using NetDsl.Cli.Commands;
using Xunit.Abstractions;

namespace NetDsl.Language.Tests.Cli;

public sealed class GraphCommandTests(ITestOutputHelper log) : IDisposable
{
    private const string Small = """
        network Small {
            input 3x8x8
            stem: { conv(8, k: 3) relu }
            parallel concat {
                path { conv(4, k: 1) }
                path { conv(4, k: 3) relu }
            }
            residual { conv(8, k: 3) bn }
            avgpool flatten linear(2) as head
        }
        variant SmallWide = Small() { input 3x16x16 }
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-graph-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string InDirectory(string name) => Path.Combine(directory, name);

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = Program.Run(args, output, error);
        return (exitCode, output.ToString() + error.ToString());
    }

    [Fact]
    public void The_dot_text_has_clusters_for_containers_a_merge_node_for_the_parallel_and_a_dashed_skip_around_the_residual()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("small.dot");

        var (exitCode, output) = Run("graph", file, "--network", "Small", "-o", target);

        exitCode.ShouldBe(0, output);
        output.ShouldBe($"wrote {target}\n");
        string dot = File.ReadAllText(target);
        dot.ShouldStartWith("digraph network {\n  graph [rankdir=TB,");
        dot.ShouldContain("label=\"Small\\ninput 3x8x8, 1,162 parameters, 0.07 M MACs, 0.00 MiB\"");
        dot.ShouldContain("n0 [label=\"input\\n3x8x8\", tooltip=\"input\"");
        // The labelled group is a cluster holding its layers, each with description, shape and (non-zero) parameters.
        dot.ShouldContain("subgraph cluster_0 {\n    label=\"stem\\l8x8x8, 224 params\\l\"; tooltip=\"stem\";");
        dot.ShouldContain("n1 [label=\"conv 3x3, 8\\n8x8x8\\n224 params\", tooltip=\"stem.0\"];");
        dot.ShouldContain("n2 [label=\"relu\\n8x8x8\", tooltip=\"stem.1\"];");
        // The parallel: a cluster per path inside the parallel's cluster, fan-out from the stem, fan-in to "concat".
        dot.ShouldContain("subgraph cluster_1 {\n    label=\"parallel concat, 2 paths\\l8x8x8, 328 params\\l\"; tooltip=\"0\";");
        dot.ShouldContain("subgraph cluster_2 {\n      label=\"path1\\l4x8x8, 36 params\\l\"; tooltip=\"0.path1\";");
        dot.ShouldContain("subgraph cluster_3 {\n      label=\"path2\\l4x8x8, 292 params\\l\"; tooltip=\"0.path2\";");
        dot.ShouldContain("n6 [label=\"concat\\n8x8x8\", tooltip=\"0\", shape=ellipse");
        dot.ShouldContain("n2 -> n3 [weight=4];\n  n2 -> n4 [weight=4];");
        dot.ShouldContain("n3 -> n6;\n  n5 -> n6;");
        // The residual: its body in sequence, then "add", fed by the body and by the dashed skip from the concat.
        dot.ShouldContain("subgraph cluster_4 {\n    label=\"residual\\l8x8x8, 592 params\\l\"; tooltip=\"1\";");
        dot.ShouldContain("n9 [label=\"add\\n8x8x8\", tooltip=\"1\", shape=ellipse");
        dot.ShouldContain("n6 -> n7;\n  n7 -> n8;\n  n8 -> n9;\n  n6 -> n9 [style=dashed];\n  n9 -> n10;");
        dot.ShouldContain("n12 [label=\"linear 2\\n2\\n18 params\", tooltip=\"head\"];");
        dot.ShouldEndWith("n11 -> n12;\n}\n");
    }

    [Fact]
    public void A_projected_shortcut_is_drawn_dashed_from_the_input_through_its_conv_and_bn_to_the_add()
    {
        string file = Write("projected.nn", """
            network Projected {
                input 8x8x8
                residual(project: true) { conv(16, k: 3, s: 2) bn }
            }
            """);
        string target = InDirectory("projected.dot");

        var (exitCode, output) = Run("graph", file, "-o", target);

        exitCode.ShouldBe(0, output);
        string dot = File.ReadAllText(target);
        dot.ShouldContain("n3 [label=\"conv 1x1/2, 16\\n16x4x4\\n128 params\", tooltip=\"0.shortcut.0\"];");
        dot.ShouldContain("n4 [label=\"bn\\n16x4x4\\n32 params\", tooltip=\"0.shortcut.1\"];");
        dot.ShouldContain("n0 -> n1;\n  n1 -> n2;\n  n0 -> n3 [style=dashed];\n  n3 -> n4 [style=dashed];\n  n2 -> n5;\n  n4 -> n5 [style=dashed];\n");
    }

    [Fact]
    public void A_named_feature_map_is_one_node_with_an_edge_to_each_statement_that_reads_it_and_each_output_is_a_node()
    {
        string file = Write("pyramid.nn", """
            network Pyramid {
                input 3x16x16
                conv(8, k: 3) -> fine
                conv(8, k: 3, s: 2) -> coarse
                upsample(2)
                -> up
                add(fine, up) -> merged
                outputs merged, coarse
            }
            """);
        string target = InDirectory("pyramid.dot");

        var (exitCode, output) = Run("graph", file, "-o", target);

        exitCode.ShouldBe(0, output);
        string dot = File.ReadAllText(target);
        dot.ShouldContain("n1 [label=\"conv 3x3, 8\\n8x16x16\\n224 params\", tooltip=\"0\"];");
        dot.ShouldContain("n2 [label=\"conv 3x3/2, 8\\n8x8x8\\n584 params\", tooltip=\"1\"];");
        dot.ShouldContain("n4 [label=\"add(fine, up)\\n8x16x16\", tooltip=\"3\", shape=ellipse");
        // fine (n1) feeds the conv after it and the add; the upsampled map (n3) the add; the outputs their nodes.
        dot.ShouldContain("n0 -> n1;\n  n1 -> n2;\n  n2 -> n3;\n  n1 -> n4;\n  n3 -> n4;\n  n4 -> n5;\n  n2 -> n6;\n");
        dot.ShouldContain("n5 [label=\"merged\\n8x16x16\"");
        dot.ShouldContain("n6 [label=\"coarse\\n8x8x8\"");
    }

    [Fact]
    public void A_split_forks_through_a_split_node_and_an_add_parallel_merges_in_an_add_node()
    {
        string file = Write("merges.nn", """
            network Merges {
                input 8x4x4
                split { path { conv(4, k: 1) } path { } }
                parallel add { path { conv(8, k: 1) } path { conv(8, k: 3) } }
            }
            """);
        string target = InDirectory("merges.dot");

        var (exitCode, output) = Run("graph", file, "-o", target);

        exitCode.ShouldBe(0, output);
        string dot = File.ReadAllText(target);
        dot.ShouldContain("n1 [label=\"split 2\\n4x4x4 each\", tooltip=\"0\", shape=ellipse");
        dot.ShouldContain("n3 [label=\"concat\\n8x4x4\", tooltip=\"0\", shape=ellipse");
        // The empty path carries the split's share straight to the concat.
        dot.ShouldContain("n0 -> n1;\n  n1 -> n2 [weight=4];\n  n2 -> n3;\n  n1 -> n3;\n");
        dot.ShouldContain("[label=\"add\\n8x4x4\", tooltip=\"1\", shape=ellipse");
    }

    [Fact]
    public void Odd_text_is_escaped_so_it_cannot_break_the_dot()
    {
        DotWriter.Escape("a \"quoted\" name").ShouldBe("a \\\"quoted\\\" name");
        DotWriter.Escape(@"back\slash \N \G \l").ShouldBe(@"back\\slash \\N \\G \\l");
        DotWriter.Escape("two\nlines\r\nand\rthree").ShouldBe("two\\nlines\\nand\\nthree");
        DotWriter.Escape("tab\there\0").ShouldBe("tab here ");
        DotWriter.Escape("{ record | <port> } ;").ShouldBe("{ record | <port> } ;");
        DotWriter.Label(new[] { "end\\", "\"}" }).ShouldBe("\"end\\\\\\n\\\"}\"");

        string odd = "x\" ]; evil -> injected; n0 [label=\"\\";
        var root = new GraphCluster("root", GraphClusterKind.Sequence, new[] { odd });
        var cluster = new GraphCluster("cluster_0", GraphClusterKind.Parallel, new[] { "} subgraph {", odd }, odd);
        cluster.Members.Add(new GraphNode("n1", GraphNodeKind.Layer, new[] { odd, "{a|b}" }, odd));
        root.Members.Add(new GraphNode("n0", GraphNodeKind.Input, new[] { "input\nline" }, "in\"put"));
        root.Members.Add(cluster);
        string dot = DotWriter.Write(new Graph(root, new[] { new GraphEdge("n0", "n1", Dashed: true, Fork: false) }));

        dot.ShouldNotContain("evil -> injected; n0 [label=\"\\\"");
        dot.ShouldContain("n1 [label=\"x\\\" ]; evil -> injected; n0 [label=\\\"\\\\\\n{a|b}\"");
        dot.Split('\n').ShouldAllBe(line => UnescapedQuotes(line) % 2 == 0);
        if (Graphviz() is not { } renderer)
        {
            log.WriteLine("Graphviz 'dot' is not installed; skipped parsing the escaped DOT with it.");
            return;
        }
        string svg = InDirectory("odd.svg");
        renderer.RenderSvg(dot, svg).ShouldBeNull();
        string text = File.ReadAllText(svg);
        text.ShouldContain("x&quot; ]; evil &#45;&gt; injected; n0 [label=&quot;\\");
        text.ShouldContain("{a|b}");
    }

    [Fact]
    public void Several_networks_without_a_choice_is_an_error_listing_their_names()
    {
        string file = Write("small.nn", Small);

        var (exitCode, output) = Run("graph", file, "-o", InDirectory("out.dot"));

        exitCode.ShouldBe(2);
        output.ShouldBe("error: the files define 2 networks and variants; choose one with --variant NAME or --network NAME: Small, SmallWide\n");
        File.Exists(InDirectory("out.dot")).ShouldBeFalse();
    }

    [Fact]
    public void Unknown_names_are_errors_with_suggestions()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("out.dot");

        Run("graph", file, "--variant", "SmallWid", "-o", target)
            .ShouldBe((2, "error: no network or variant named 'SmallWid'; did you mean 'SmallWide'? There are: Small, SmallWide\n"));
        Run("graph", file, "--network", "small", "-o", target)
            .ShouldBe((2, "error: no network named 'small'; did you mean 'Small'? The networks are: Small\n"));
        Run("graph", file, "--network", "Small", "--variant", "Large", "-o", target)
            .ShouldBe((2, "error: Small has no variant named 'Large'. There are: Small, SmallWide\n"));
        File.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public void A_variant_is_drawn_with_its_own_shapes()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("wide.dot");

        var (exitCode, _) = Run("graph", file, "--variant", "SmallWide", "-o", target);

        exitCode.ShouldBe(0);
        string dot = File.ReadAllText(target);
        dot.ShouldContain("label=\"SmallWide (variant of Small)\\ninput 3x16x16, ");
        dot.ShouldContain("n6 [label=\"concat\\n8x16x16\"");
    }

    [Fact]
    public void Files_with_errors_print_the_diagnostics_and_exit_with_one()
    {
        string file = Write("broken.nn", "network Broken {\n  input 3x8x8\n  frobnicate\n}");

        var (exitCode, output) = Run("graph", file, "-o", InDirectory("out.dot"));

        exitCode.ShouldBe(1);
        output.ShouldBe($"{file}(3,3): error NN0100: unknown layer 'frobnicate'\n");
    }

    [Fact]
    public void An_output_that_is_neither_svg_nor_dot_is_refused()
    {
        string file = Write("small.nn", Small);

        var (exitCode, output) = Run("graph", file, "--network", "Small", "-o", InDirectory("out.png"));

        exitCode.ShouldBe(2);
        output.ShouldContain("name the output OUT.svg or OUT.dot");
    }

    [Fact]
    public void Without_graphviz_an_svg_request_writes_dot_instead_and_says_how_to_get_graphviz()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("small.svg");
        var output = new StringWriter();

        int exitCode = GraphCommand.Run(new[] { file }, null, "Small", target, output, renderer: null);

        exitCode.ShouldBe(0);
        string written = InDirectory("small.dot");
        output.ToString().ShouldBe($"Graphviz 'dot' is not installed; wrote {written} instead. Install it (Debian: apt-get install graphviz) or paste the file into any DOT viewer.\n");
        File.ReadAllText(written).ShouldStartWith("digraph network {");
        File.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public void With_graphviz_an_svg_is_written()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("small.svg");

        var (exitCode, output) = Run("graph", file, "--network", "Small", "-o", target);

        exitCode.ShouldBe(0, output);
        if (Graphviz() is null)
        {
            log.WriteLine("Graphviz 'dot' is not installed; skipped the SVG check (CI installs it).");
            return;
        }
        output.ShouldBe($"wrote {target}\n");
        string svg = File.ReadAllText(target);
        (svg.StartsWith("<?xml", StringComparison.Ordinal) || svg.StartsWith("<svg", StringComparison.Ordinal)).ShouldBeTrue(svg[..Math.Min(200, svg.Length)]);
        svg.ShouldContain("conv 3x3, 8");
        svg.ShouldContain("concat");
    }

    private static GraphvizRenderer? Graphviz() => GraphvizRenderer.FromPath();

    /// <summary>Quotes that open or close a DOT string: those not escaped by an odd run of backslashes.</summary>
    private static int UnescapedQuotes(string line)
    {
        int count = 0, backslashes = 0;
        foreach (char c in line)
        {
            if (c == '"' && backslashes % 2 == 0)
                count++;
            backslashes = c == '\\' ? backslashes + 1 : 0;
        }
        return count;
    }
}
