using NetDsl.Cli;

namespace NetDsl.Language.Tests.Cli;

public sealed class CheckCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-check-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int ExitCode, string[] Lines) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = Program.Run(args, output, error);
        return (exitCode, (output.ToString() + error.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_file_with_syntax_errors_prints_each_diagnostic_and_exits_with_one()
    {
        string path = Write("broken.nn", "block A {\n  conv(8;\n}\nblock B { let for = 1 }\n");

        var (exitCode, lines) = Run("check", path);

        exitCode.ShouldBe(1);
        lines.ShouldBe(new[]
        {
            $"{path}(2,9): error NN0002: unexpected character ';' (U+003B), which is not part of the language; expected ',' or ')' to close the argument list of conv (opened at line 2)",
            $"{path}(4,15): error NN0004: 'for' is a keyword and cannot be used as a name after 'let'; choose another name, e.g. 'for_'",
            "checked 1 file: 2 errors, 0 warnings",
        });
    }

    [Fact]
    public void A_directory_is_searched_for_nn_files_and_clean_files_exit_with_zero()
    {
        Write("a.nn", "block A { conv(8) bn relu }");
        Write("nested/b.nn", "network B { input 3x8x8 A }");
        Write("notes.txt", "not a network {");

        var (exitCode, lines) = Run("check", directory);

        exitCode.ShouldBe(0);
        lines.ShouldBe(new[] { "checked 2 files: 0 errors, 0 warnings" });
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        string missing = Path.Combine(directory, "missing.nn");

        var (exitCode, lines) = Run("check", missing);

        exitCode.ShouldBe(1);
        lines.ShouldBe(new[] { $"{missing}: error: no such file or directory", "checked 0 files: 1 error, 0 warnings" });
    }

    [Fact]
    public void Files_are_checked_together_so_a_block_in_one_file_serves_a_network_in_another()
    {
        string blocks = Write("blocks.nn", "block Stem(out: int) { conv(out, k: 3) bn relu }");
        string network = Write("net.nn", "network Net {\n  input 3x32x32\n  Stem(16)\n  frobnicate\n}");

        var (exitCode, lines) = Run("check", blocks, network);

        exitCode.ShouldBe(1);
        lines.ShouldBe(new[]
        {
            $"{network}(4,3): error NN0100: unknown layer 'frobnicate'",
            "checked 2 files: 1 error, 0 warnings",
        });
    }
}
