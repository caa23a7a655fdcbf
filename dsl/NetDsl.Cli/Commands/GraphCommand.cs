using System.CommandLine;
using NetDsl.IO;

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

    /// <param name="renderer">Graphviz, or null when it is not installed (an SVG request then writes DOT beside it, if
    /// no such file is there yet, and says so).</param>
    /// <returns>0; 1 when the files have errors, the output cannot be written or dot fails; 2 when the request itself is
    /// wrong (no single network chosen, unknown output type).</returns>
    public static int Run(IReadOnlyList<string> paths, string? variant, string? network, string target, TextWriter output, GraphvizRenderer? renderer)
    {
        string extension = Path.GetExtension(target).ToLowerInvariant();
        if (extension is not (".svg" or ".dot"))
        {
            output.WriteLine($"error: cannot tell what to write from '{target}'; name the output OUT.svg or OUT.dot");
            return 2;
        }
        // Without Graphviz an SVG request writes DOT beside it instead; never over a file that is already there.
        string written = extension == ".svg" && renderer is null ? Path.ChangeExtension(target, ".dot") : target;
        if (written != target && File.Exists(written))
        {
            output.WriteLine($"error: Graphviz 'dot' is not installed, so {target} cannot be drawn, and {written} already exists; " +
                             $"ask for the DOT text with -o {written} to replace it, or install Graphviz (Debian: apt-get install graphviz)");
            return 1;
        }
        if (Unwritable(written) is { } problem)
        {
            output.WriteLine($"error: cannot write {written}: {problem}; choose another path with -o");
            return 1;
        }

        var result = ErrorFreeProgram.Check(paths, output);
        if (result is null)
            return 1;

        var (chosen, choiceError) = NetworkChoice.Choose(result.Networks, variant, network);
        if (chosen is null)
        {
            output.WriteLine(choiceError);
            return 2;
        }

        string dot = DotWriter.Write(GraphBuilder.Build(chosen));
        if (extension == ".svg" && renderer is not null)
        {
            if (renderer.RenderSvg(dot, target) is { } failure)
            {
                output.WriteLine($"error: {failure}");
                return 1;
            }
        }
        else
        {
            AtomicFile.WriteAllText(written, dot);
        }
        output.WriteLine(written == target
            ? $"wrote {target}"
            : $"Graphviz 'dot' is not installed; wrote {written} instead. Install it (Debian: apt-get install graphviz) or paste the file into any DOT viewer.");
        return 0;
    }

    /// <summary>Why <paramref name="path"/> cannot be written (checked before any work), or null when it can.</summary>
    private static string? Unwritable(string path)
    {
        try
        {
            AtomicFile.EnsureWritable(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
