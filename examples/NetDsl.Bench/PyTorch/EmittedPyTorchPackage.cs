using NetDsl.Emit;
using NetDsl.Parsing;
using NetDsl.PyTorch;
using NetDsl.Syntax;

namespace NetDsl.Bench.PyTorch;

/// <summary>The zoo as a Python package of PyTorch modules (netdsl emit --target pytorch), in a temporary directory.</summary>
public sealed class EmittedPyTorchPackage : IDisposable
{
    private readonly string root;

    private EmittedPyTorchPackage(string root, string directory)
    {
        this.root = root;
        Directory = directory;
    }

    /// <summary>The package directory (its name is the package's: <c>netdsl_zoo</c>).</summary>
    public string Directory { get; }

    public static EmittedPyTorchPackage Write(IReadOnlyList<SourceText> sources)
    {
        var plan = EmitPlanner.Plan(sources.Select(source => Parser.Parse(source).Tree), "NetDsl.Bench.Generated");
        var root = System.IO.Directory.CreateTempSubdirectory("netdsl-bench-").FullName;
        var directory = Path.Combine(root, "netdsl_zoo");
        System.IO.Directory.CreateDirectory(directory);
        foreach (var file in PythonEmitter.Emit(plan))
            File.WriteAllText(Path.Combine(directory, file.Name), file.Text);
        return new EmittedPyTorchPackage(root, directory);
    }

    public void Dispose() => System.IO.Directory.Delete(root, recursive: true);
}
