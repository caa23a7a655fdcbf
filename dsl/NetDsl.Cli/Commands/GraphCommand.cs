using System.CommandLine;

namespace NetDsl.Cli.Commands;

/// <summary>
/// <c>netdsl graph FILE... [--variant NAME] [--network NAME] -o OUT.svg|OUT.dot</c>: a diagram of one network,
/// its blocks and paths as clusters, its layers with their output shapes, as Graphviz DOT or (through <c>dot</c>) SVG.
/// </summary>
internal static class GraphCommand
{
    public static Command Create(TextWriter output)
    {
        var files = SourceFiles.CreateArgument();
        var variant = new Option<string?>("--variant") { Description = "the network or variant to draw" };
        var network = new Option<string?>("--network") { Description = "the network to draw (at its defaults, unless --variant names one of its variants)" };
        var target = new Option<string>("--output", "-o") { Description = "where to write: OUT.svg (needs Graphviz 'dot') or OUT.dot", Required = true };
        var command = new Command("graph", "Draw a network's blocks, paths and shapes as SVG or Graphviz DOT.") { files, variant, network, target };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(files) ?? Array.Empty<string>(),
            parseResult.GetValue(variant),
            parseResult.GetValue(network),
            parseResult.GetValue(target)!,
            output,
            GraphvizRenderer.FromPath()));
        return command;
    }

    /// <param name="renderer">Graphviz, or null when it is not installed (an SVG request then writes DOT and says so).</param>
    /// <returns>0; 1 when the files have errors or dot fails; 2 when the request itself is wrong (no single network chosen, unknown output type).</returns>
    public static int Run(IReadOnlyList<string> paths, string? variant, string? network, string target, TextWriter output, GraphvizRenderer? renderer)
    {
        string extension = Path.GetExtension(target).ToLowerInvariant();
        if (extension is not (".svg" or ".dot"))
        {
            output.WriteLine($"error: cannot tell what to write from '{target}'; name the output OUT.svg or OUT.dot");
            return 2;
        }

        var result = ErrorFreeProgram.Check(paths, output);
        if (result is null)
            return 1;

        var (chosen, problem) = NetworkChoice.Choose(result.Networks, variant, network);
        if (chosen is null)
        {
            output.WriteLine(problem);
            return 2;
        }

        string dot = DotWriter.Write(GraphBuilder.Build(chosen));
        if (extension == ".dot")
        {
            File.WriteAllText(target, dot);
            output.WriteLine($"wrote {target}");
            return 0;
        }
        if (renderer is null)
        {
            string fallback = Path.ChangeExtension(target, ".dot");
            File.WriteAllText(fallback, dot);
            output.WriteLine($"Graphviz 'dot' is not installed; wrote {fallback} instead. Install it (Debian: apt-get install graphviz) or paste the file into any DOT viewer.");
            return 0;
        }
        if (renderer.RenderSvg(dot, target) is { } failure)
        {
            output.WriteLine($"error: {failure}");
            return 1;
        }
        output.WriteLine($"wrote {target}");
        return 0;
    }
}
