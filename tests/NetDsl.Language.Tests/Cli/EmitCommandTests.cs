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

    private const string Pyramid = """
        // A two-level feature pyramid: named maps, a labelled fusion, a block from two maps to two.
        network TinyPyramid(width: int = 16) {
            input 3x32x32
            stem: { conv(8, k: 3, s: 2) bn relu }
            conv(16, k: 3, s: 2) -> c3
            conv(32, k: 3, s: 2) -> c4
            from c4  conv(width, k: 1) as lateral4  -> m4
            from c3  conv(width, k: 1) as lateral3  -> l3
            from m4  upsample(2)                     -> up
            fuse(l3, up) as fuse3                    -> m3
            from m3, m4  Smooth(width)               -> p3, p4
            outputs p3, p4
        }

        // The same 3x3 conv on both levels.
        block Smooth(c: int) {
            inputs a, b
            from a, b  conv(c, k: 3) -> a1, b1
            outputs a1, b1
        }
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
    public void PyTorch_target_writes_a_graph_network_as_a_forward_over_named_feature_maps()
    {
        var source = Write("tiny_pyramid.nn", Pyramid);
        var package = Path.Combine(directory, "out", "pyramid");

        var (exitCode, output) = Run("emit", "--target", "pytorch", source, "-o", package);

        exitCode.ShouldBe(0, output);
        var module = File.ReadAllText(Path.Combine(package, "tiny_pyramid.py"));
        var imports = module.Split('\n').Where(l => l.StartsWith("import ", StringComparison.Ordinal) || l.StartsWith("from ", StringComparison.Ordinal)).ToList();
        imports.ShouldBe([
            "from typing import List, NamedTuple",
            "from torch import Tensor, nn",
            "from .netdsl_runtime import FeatureShape, Graph, GraphBlock, Sequence",
        ], "only typing, torch and the package's runtime");
        module.ShouldContain(""""
            class TinyPyramidOutputs(NamedTuple):
                """The outputs of TinyPyramid, in the order of its outputs statement."""

                p3: Tensor
                p4: Tensor


            class TinyPyramid(Graph):
            """".Replace("\r\n", "\n"), Case.Sensitive, "several outputs: a NamedTuple with the .nn names, before the network");
        module.ShouldContain("""
                    self.conv(width, bias=True, name="lateral4")
                    m4 = self.shape
                    self.shape = c3
                    self.conv(width, bias=True, name="lateral3")
                    l3 = self.shape
                    self.shape = m4
                    self.upsample(2)
                    up = self.shape
                    self.merge("fuse(l3, up)", [l3, up], name="fuse3")
                    m3 = self.shape
                    self.shapes = [m3, m4]
                    self.append(Smooth(self.shapes, width))
                    p3, p4 = self.shapes

            """.Replace("\r\n", "\n"), Case.Sensitive, "the constructor keeps each named map's shape in a local");
        module.ShouldContain("""
                def forward(self, x: Tensor) -> TinyPyramidOutputs:
                    x = self.stem(x)
                    c3 = self[0](x)  # conv
                    c4 = self[1](c3)  # conv
                    m4 = self.lateral4(c4)
                    l3 = self.lateral3(c3)
                    up = self[2](m4)  # upsample
                    m3 = self.fuse3([l3, up])
                    p3, p4 = self[3]([m3, m4])  # Smooth
                    return TinyPyramidOutputs(p3, p4)
            """.Replace("\r\n", "\n"), Case.Sensitive, "forward keeps the named maps in locals; unlabelled children by number");
        module.ShouldContain(""""
            class Smooth(GraphBlock):
                """The Smooth block of tiny_pyramid.nn."""

                def __init__(self, input_shapes: List[FeatureShape], c: int) -> None:
                    super().__init__(input_shapes, inputs=2)
                    a, b = self.shapes
                    self.conv(c, kernel=3, padding=1, bias=True)
                    a1, b1 = self.shapes

                def forward(self, features: List[Tensor]) -> List[Tensor]:
                    a, b = features
                    a1, b1 = [self[0](f) for f in (a, b)]  # conv
                    return [a1, b1]
            """".Replace("\r\n", "\n"), Case.Sensitive, "a block with inputs takes and returns a list; a shared layer runs on each map");
        var registry = File.ReadAllText(Path.Combine(package, "__init__.py"));
        registry.ShouldContain("from .tiny_pyramid import Smooth, TinyPyramid, TinyPyramidOutputs\n");
        registry.ShouldContain("__all__ = [\"MODELS\", \"TinyPyramid\", \"TinyPyramidOutputs\", \"Smooth\"]");
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
