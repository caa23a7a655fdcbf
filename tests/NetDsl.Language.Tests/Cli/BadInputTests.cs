using System.Diagnostics;
using NetDsl.Cli;
using NetDsl.Cli.Commands;

namespace NetDsl.Language.Tests.Cli;

/// <summary>
/// Paths a careless or hostile user gives <c>netdsl</c>: each gets one compiler-style error line with its code and
/// exit code 1, promptly (no hang on a FIFO, no endless read of a device, no loop through symbolic links), and
/// nothing that was there is overwritten.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private const string Small = "network Small { input 3x8x8 conv(8, k: 3) relu avgpool flatten linear(2) }";

    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-bad-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string InDirectory(string name) => Path.Combine(directory, name);

    private string Write(string name, string text)
    {
        string path = InDirectory(name);
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

    private string MakeFifo(string name)
    {
        string path = InDirectory(name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        mkfifo.ExitCode.ShouldBe(0);
        return path;
    }

    [Fact]
    public void A_fifo_is_refused_without_opening_it_named_directly_or_found_in_a_directory()
    {
        string fifo = MakeFifo("pipe.nn");
        Write("good.nn", Small);

        var direct = Run("check", fifo);
        var searched = Run("check", directory);

        direct.ExitCode.ShouldBe(1);
        direct.Lines.ShouldBe([
            $"{fifo}: error NN0010: this is a FIFO, not a regular file, so it is not read; give the path of a .nn file",
            "checked 0 files: 1 error, 0 warnings"]);
        searched.ExitCode.ShouldBe(1);
        searched.Lines.ShouldBe([
            $"{fifo}: error NN0010: this is a FIFO, not a regular file, so it is not read; give the path of a .nn file",
            "checked 1 file: 1 error, 0 warnings"]);
    }

    [Fact]
    public void A_device_is_refused_without_reading_it()
    {
        var (exitCode, lines) = Run("check", "/dev/zero");

        exitCode.ShouldBe(1);
        lines.ShouldBe([
            "/dev/zero: error NN0010: this is a character device, not a regular file, so it is not read; give the path of a .nn file",
            "checked 0 files: 1 error, 0 warnings"]);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_with_the_limit()
    {
        string huge = Write("huge.nn", "// " + new string('x', 1024 * 1024) + "\n" + Small);

        var (exitCode, lines) = Run("check", huge);

        exitCode.ShouldBe(1);
        lines.ShouldBe([
            $"{huge}: error NN0011: this file has 1,048,577 bytes or more; a .nn file may have at most 1,048,576 bytes, so it is not read",
            "checked 0 files: 1 error, 0 warnings"]);
    }

    [Fact]
    public void A_file_at_the_size_limit_is_read()
    {
        string text = Small + "\n// ";
        string path = Write("big.nn", text + new string('x', 1024 * 1024 - text.Length));
        new FileInfo(path).Length.ShouldBe(1024 * 1024);

        var (exitCode, lines) = Run("check", path);

        exitCode.ShouldBe(0);
        lines.ShouldBe(["checked 1 file: 0 errors, 0 warnings"]);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_line_not_a_crash()
    {
        // Readable to open but failing on read, even for root (who may read any file whatever its permissions).
        var (exitCode, lines) = Run("check", "/proc/self/mem");

        exitCode.ShouldBe(1);
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith("/proc/self/mem: error NN0012: this file cannot be read: ");
        lines[1].ShouldBe("checked 0 files: 1 error, 0 warnings");
    }

    [Fact]
    public void A_symbolic_link_looping_back_to_its_directory_is_searched_once()
    {
        Write("models/small.nn", Small);
        Directory.CreateDirectory(InDirectory("models/nested"));
        Directory.CreateSymbolicLink(InDirectory("models/loop"), InDirectory("models"));
        Directory.CreateSymbolicLink(InDirectory("models/nested/up"), "..");

        var (exitCode, lines) = Run("check", InDirectory("models"), InDirectory("models/small.nn"));

        exitCode.ShouldBe(0);
        lines.ShouldBe(["checked 1 file: 0 errors, 0 warnings"]);
    }

    [Fact]
    public void A_graph_into_a_missing_directory_fails_before_the_work()
    {
        string file = Write("small.nn", Small);
        string target = InDirectory("missing/x.dot");

        var (exitCode, lines) = Run("graph", file, "-o", target);

        exitCode.ShouldBe(1);
        lines.ShouldBe([$"error: cannot write {target}: the directory {InDirectory("missing")} does not exist; choose another path with -o"]);
        Directory.Exists(InDirectory("missing")).ShouldBeFalse();
    }

    [Fact]
    public void Without_graphviz_an_svg_request_never_overwrites_an_existing_dot_file()
    {
        string file = Write("small.nn", Small);
        string existing = Write("z.dot", "digraph mine { a -> b }");
        var output = new StringWriter();

        int exitCode = GraphCommand.Run([file], null, null, InDirectory("z.svg"), output, renderer: null);

        exitCode.ShouldBe(1);
        output.ToString().ShouldBe(
            $"error: Graphviz 'dot' is not installed, so {InDirectory("z.svg")} cannot be drawn, and {existing} already exists; " +
            $"ask for the DOT text with -o {existing} to replace it, or install Graphviz (Debian: apt-get install graphviz)\n");
        File.ReadAllText(existing).ShouldBe("digraph mine { a -> b }");
        File.Exists(InDirectory("z.svg")).ShouldBeFalse();
    }

    [Fact]
    public void A_dot_file_is_replaced_whole_and_leaves_no_temporary_file()
    {
        string file = Write("small.nn", Small);
        string target = Write("small.dot", "old");

        var (exitCode, lines) = Run("graph", file, "-o", target);

        exitCode.ShouldBe(0);
        lines.ShouldBe([$"wrote {target}"]);
        File.ReadAllText(target).ShouldStartWith("digraph network {");
        Directory.GetFiles(directory).Select(Path.GetFileName).Order().ShouldBe(["small.dot", "small.nn"]);
    }
}
