using System.CommandLine;
using NetDsl.Emit;
using NetDsl.IO;
using NetDsl.Parsing;
using NetDsl.PyTorch;

namespace NetDsl.Cli.Commands;

/// <summary>
/// <c>netdsl emit --target pytorch|csharp FILE... -o DIR</c>: the code a back end prints from the checked program, without a
/// build: a Python package of PyTorch modules, or the C# files the source generator adds to a build.
/// </summary>
internal static class EmitCommand
{
    public const string PyTorchTarget = "pytorch";
    public const string CSharpTarget = "csharp";

    public static Command Create(TextWriter output)
    {
        var files = SourceFiles.CreateArgument();
        var target = new Option<string>("--target", "-t")
        {
            Description = "pytorch: a Python package of torch.nn modules; csharp: what the source generator adds to a build",
            Required = true,
        };
        target.AcceptOnlyFromAmong(PyTorchTarget, CSharpTarget);
        var directory = new Option<string>("--output", "-o") { Description = "the directory to write into (created if missing)", Required = true };
        var namespaceName = new Option<string>("--namespace")
        {
            Description = "the C# namespace of the classes (csharp only; a build uses NetDslNamespace or RootNamespace)",
            DefaultValueFactory = _ => "NetDsl.Models",
        };
        var command = new Command("emit", "Write the PyTorch or C# code of networks, blocks and variants.") { files, target, directory, namespaceName };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(files) ?? Array.Empty<string>(),
            parseResult.GetValue(target)!,
            parseResult.GetValue(directory)!,
            parseResult.GetValue(namespaceName)!,
            output));
        return command;
    }

    /// <returns>0; 1 when the files have errors or the directory cannot be written.</returns>
    public static int Run(IReadOnlyList<string> paths, string target, string directory, string namespaceName, TextWriter output)
    {
        if (Unwritable(directory) is { } problem)
        {
            output.WriteLine($"error: cannot write into {directory}: {problem}; choose another directory with -o");
            return 1;
        }
        var files = SourceFiles.Load(paths);
        foreach (string fileProblem in files.Problems)
            output.WriteLine(fileProblem);
        var parsed = files.Sources.Select(Parser.Parse).ToList();
        var plan = EmitPlanner.Plan(parsed.Select(p => p.Tree), namespaceName);
        var errors = parsed.SelectMany(p => p.Diagnostics).Concat(plan.Diagnostics).Where(d => d.IsError).ToList();
        foreach (var diagnostic in errors)
            output.WriteLine(diagnostic.ToString());
        if (files.Sources.Count == 0 && files.Problems.Count == 0)
            output.WriteLine("error: no .nn files found");
        if (errors.Count > 0 || files.Problems.Count > 0 || files.Sources.Count == 0)
            return 1;

        var written = target == PyTorchTarget
            ? PythonEmitter.Emit(plan).Select(f => (f.Name, f.Text)).ToList()
            : CSharpFiles(plan);
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in written)
            AtomicFile.WriteAllText(Path.Combine(directory, name), text);
        output.WriteLine($"wrote {written.Count} files to {directory}");
        return 0;
    }

    private static List<(string Name, string Text)> CSharpFiles(EmitPlan plan)
    {
        var files = new List<(string Name, string Text)>();
        foreach (var unit in plan.Units)
        {
            files.Add((unit.HintName, CSharpEmitter.Emit(unit)));
            if (CSharpEmitter.EmitFigures(unit) is { } figures)
                files.Add((CSharpEmitter.FiguresHintName(unit), figures));
        }
        if (plan.Registry is { } registry)
            files.Add((EmitPlanner.RegistryClassName + ".g.cs", FiguresEmitter.EmitRegistry(registry)));
        return files;
    }

    /// <summary>Why files cannot be written into <paramref name="directory"/> (checked before any work, creating nothing), or null.</summary>
    private static string? Unwritable(string directory)
    {
        try
        {
            var full = Path.GetFullPath(directory);
            if (File.Exists(full))
                return "it is a file";
            // A missing directory is created later: then its nearest existing ancestor must take new entries.
            var existing = full;
            while (!Directory.Exists(existing))
                existing = Path.GetDirectoryName(existing) ?? throw new IOException("no part of the path exists");
            AtomicFile.EnsureWritable(Path.Combine(existing, ".netdsl-emit"));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }
}
