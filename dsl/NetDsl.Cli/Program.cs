using System.CommandLine;
using NetDsl.Cli.Commands;

namespace NetDsl.Cli;

/// <summary>Wires the commands of <c>netdsl</c>; each command lives in its own class under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs <c>netdsl</c> with the given arguments, writing to the given writers (tests call this in-process).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("NetDsl: compact CNNs defined in .nn files, checked at compile time.")
        {
            CheckCommand.Create(output),
            SummaryCommand.Create(output),
            GraphCommand.Create(output),
            FormatCommand.Create(output),
            EmitCommand.Create(output),
            LspCommand.Create(),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
