using NetDsl.Cli;

namespace NetDsl.Language.Tests.Cli;

/// <summary><c>netdsl emit --target pytorch|csharp FILE... -o DIR</c>: what it writes, and what it refuses.</summary>
public sealed class EmitCommandTests : IDisposable
{
    private const string Tiny = """
        // A block used across a file boundary would import it; here one file holds both.
        network Tiny(classes: int = 10, width: float = 1.0) {
            input 1x28x28
            let ch(c) = divisible(c * width, 8)
            stem: { conv(ch(16), k: 3) bn relu }
            repeat 2 as i { Down(ch(32 * (i + 1))) }
            avgpool flatten linear(classes) as head
        }

        block Down(out: int, lambda: int = 2) {
            residual(project: true) { conv(out, k: 3, s: lambda) bn relu }
        }

        variant TinyWide = Tiny(width: 2.0)
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-emit-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = Program.Run(args, output, error);
        return (exitCode, output.ToString() + error.ToString());
    }

    [Fact]
    public void PyTorch_target_writes_a_package_with_a_module_per_file_the_runtime_and_the_registry()
    {
        var source = Write("tiny.nn", Tiny);
        var package = Path.Combine(directory, "out", "tiny_models");

        var (exitCode, output) = Run("emit", "--target", "pytorch", source, "-o", package);

        exitCode.ShouldBe(0, output);
        output.Trim().ShouldBe($"wrote 3 files to {package}");
        Directory.EnumerateFiles(package).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["__init__.py", "netdsl_runtime.py", "tiny.py"]);
        var module = File.ReadAllText(Path.Combine(package, "tiny.py"));
        module.ShouldContain("class Tiny(Sequence):");
        module.ShouldContain("""
                def __init__(
                        self,
                        classes: int = 10,
                        width: float = 1.0,
                        input_shape: FeatureShape = FeatureShape(1, 28, 28),
                ) -> None:
                    super().__init__(input_shape)
            """.Replace("\r\n", "\n"));
        module.ShouldContain("        def ch(c):\n            return divisible(c * width, 8)\n");
        module.ShouldContain("        for i in range(2):\n            self.append(Down(self.shape, ch(32 * (i + 1))))\n");
        module.ShouldContain("def __init__(self, input_shape: FeatureShape, out: int, lambda_: int = 2) -> None:", Case.Sensitive, "a Python keyword gets an underscore");
        module.ShouldContain("body.conv(out, kernel=3, stride=lambda_, padding=1)");
        module.ShouldContain("self.append(Residual(body, projection(self.shape, body.shape)))");
        module.ShouldContain("class TinyWide(Tiny):");
        module.ShouldContain("def __init__(self, classes: int = 10, width: float = 2.0) -> None:\n        super().__init__(classes, width)\n");
        var registry = File.ReadAllText(Path.Combine(package, "__init__.py"));
        registry.ShouldContain("from .tiny import Down, Tiny, TinyWide\n");
        registry.ShouldContain("MODELS = {\n    \"Tiny\": Tiny,\n    \"TinyWide\": TinyWide,\n}\n");
    }

    [Fact]
    public void CSharp_target_writes_what_the_generator_adds_to_a_build()
    {
        var source = Write("tiny.nn", Tiny);
        var output = Path.Combine(directory, "cs");

        var (exitCode, text) = Run("emit", "--target", "csharp", source, "-o", output, "--namespace", "My.Models");

        exitCode.ShouldBe(0, text);
        var files = Directory.EnumerateFiles(output).Select(Path.GetFileName).ToList();
        files.ShouldContain("NetDslModels.g.cs");
        files.ShouldContain("Tiny.Figures.g.cs");
        files.Count(f => f!.EndsWith(".g.cs", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(4);
        File.ReadAllText(Path.Combine(output, files.Single(f => f!.StartsWith("Tiny.", StringComparison.Ordinal) && !f.Contains("Figures"))!))
            .ShouldContain("namespace My.Models");
    }

    [Fact]
    public void A_program_with_errors_writes_nothing_and_reports_each_error_at_its_place()
    {
        var source = Write("broken.nn", "network Broken { input 3x8x8 conv(64 / 3) flatten linear(2) }");
        var target = Path.Combine(directory, "never");

        var (exitCode, output) = Run("emit", "--target", "pytorch", source, "-o", target);

        exitCode.ShouldBe(1);
        output.ShouldContain("broken.nn(1,35): error NN0200:");
        Directory.Exists(target).ShouldBeFalse();
    }

    [Fact]
    public void An_unwritable_directory_or_an_unknown_target_is_refused_before_any_work()
    {
        var source = Write("tiny.nn", Tiny);
        var file = Write("taken", "not a directory");

        var (exitCode, output) = Run("emit", "--target", "pytorch", source, "-o", file);
        exitCode.ShouldBe(1);
        output.Trim().ShouldBe($"error: cannot write into {file}: it is a file; choose another directory with -o");
        File.ReadAllText(file).ShouldBe("not a directory");

        var (unknownExit, unknownOutput) = Run("emit", "--target", "tensorflow", source, "-o", Path.Combine(directory, "x"));
        unknownExit.ShouldBe(1);
        unknownOutput.ShouldContain("tensorflow");
    }
}
