using System.Text;
using CsCheck;
using NetDsl.Checking;
using NetDsl.Cli;
using NetDsl.Formatting;
using NetDsl.Language.Tests.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Formatting;

/// <summary>The formatter: canonical layout, comments kept, idempotent, and the checker's figures unchanged.</summary>
public sealed class FormatterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-format-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Format(string text) => Formatter.Format(new SourceText("test.nn", text)).Text ?? throw new ShouldAssertException("did not format");

    [Fact]
    public void Indentation_and_spacing_become_canonical_and_comments_stay()
    {
        const string messy = """


            // header comment
            network  Tiny( classes:int=10,width : float = 1.0 ){
              input 1x28x28
                    let ch(c)=divisible(c*width,8)   // rounding
              stem:{conv(ch(16),k:3) bn relu}
            repeat 2 as i {
            conv(ch(32*(i+1)), k: 3, s: i==0?2:1)   bn    relu
              /* block
                 comment */
            }
            for (t,c) in [(1,16),
            (6,24)] { conv(c*t) }
            avgpool flatten linear(-1 + classes) as head
              }



            variant TinyWide=Tiny(width:2.0){input 3x32x32}
            """;

        Format(messy).ShouldBe("""
            // header comment
            network Tiny(classes: int = 10, width: float = 1.0) {
                input 1x28x28
                let ch(c) = divisible(c * width, 8)   // rounding
                stem: { conv(ch(16), k: 3) bn relu }
                repeat 2 as i {
                    conv(ch(32 * (i + 1)), k: 3, s: i == 0 ? 2 : 1) bn relu
                    /* block
                 comment */
                }
                for (t, c) in [(1, 16),
                    (6, 24)] { conv(c * t) }
                avgpool flatten linear(-1 + classes) as head
            }

            variant TinyWide = Tiny(width: 2.0) { input 3x32x32 }

            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_file_with_syntax_errors_is_not_formatted_and_says_why()
    {
        var result = Formatter.Format(new SourceText("broken.nn", "network N {\n  conv(8;\n}\n"));

        result.Text.ShouldBeNull();
        result.SyntaxErrors.Select(d => d.Code).ShouldBe(new[] { "NN0002" });
    }

    public static TheoryData<string> ZooFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Combine("examples", "models"), "*.nn").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ZooFiles))]
    public void Formatting_a_zoo_file_is_idempotent_and_keeps_comments_and_figures(string file)
    {
        string text = File.ReadAllText(RepositoryPaths.Combine("examples", "models", file));

        string once = Format(text);

        Format(once).ShouldBe(once);
        Comments(once).ShouldBe(Comments(text));
        Figures(once).ShouldBe(Figures(text));
    }

    [Fact]
    public void Formatting_random_and_mutated_programs_is_idempotent_and_keeps_figures()
    {
        var sources = new[] { ReferenceNetworkTests.MobileNetV2, ReferenceNetworkTests.CifarResNet18, DocumentExampleTests.MultiPath };
        var programs = Gen.OneOf(
            Gen.Int[0, int.MaxValue].Select(seed => CheckerPropertyTests.RandomProgram(new Random(seed))),
            Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, int.MaxValue])
                .Select((index, seed) => CheckerPropertyTests.Mutate(sources[index], new Random(seed))));
        programs.Sample(text =>
        {
            var result = Formatter.Format(new SourceText("random.nn", text));
            if (result.Text is null)
                return;
            Format(result.Text).ShouldBe(result.Text, text);
            Comments(result.Text).ShouldBe(Comments(text));
            Figures(result.Text).ShouldBe(Figures(text), text);
        }, iter: 1000);
    }

    [Fact]
    public void Format_command_rewrites_files_and_check_lists_the_unformatted_ones()
    {
        string messy = Path.Combine(directory, "messy.nn");
        string tidy = Path.Combine(directory, "tidy.nn");
        File.WriteAllText(messy, "network N{input 3x8x8\nconv(8,k:3)}\n");
        File.WriteAllText(tidy, "network M {\n    input 3x8x8\n    conv(8, k: 3)\n}\n");

        var (checkCode, checkLines) = Run("format", "--check", directory);
        checkCode.ShouldBe(1);
        checkLines.ShouldBe(new[] { $"{messy}: not formatted", "2 files checked, 1 would change, 0 with errors" });
        File.ReadAllText(messy).ShouldBe("network N{input 3x8x8\nconv(8,k:3)}\n");

        var (formatCode, formatLines) = Run("format", directory);
        formatCode.ShouldBe(0);
        formatLines.ShouldBe(new[] { $"{messy}: formatted", "2 files checked, 1 changed, 0 with errors" });
        File.ReadAllText(messy).ShouldBe("network N { input 3x8x8\n    conv(8, k: 3) }\n");
        Directory.GetFiles(directory).Length.ShouldBe(2);

        Run("format", "--check", directory).ExitCode.ShouldBe(0);
    }

    private static (int ExitCode, string[] Lines) Run(params string[] args)
    {
        var output = new StringWriter();
        int exitCode = Program.Run(args, output, output);
        return (exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Every comment's text, in order.</summary>
    private static string[] Comments(string text)
    {
        var comments = new List<string>();
        for (int i = 0; i < text.Length - 1; i++)
        {
            if (text[i] == '/' && text[i + 1] == '/')
            {
                int end = text.IndexOfAny(['\n', '\r'], i);
                end = end < 0 ? text.Length : end;
                comments.Add(text[i..end].TrimEnd());
                i = end;
            }
            else if (text[i] == '/' && text[i + 1] == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                comments.Add(text[i..end]);
                i = end - 1;
            }
        }
        return comments.ToArray();
    }

    /// <summary>Messages quote the source (the item (4,4,2) has 3), so they are compared without spaces.</summary>
    private static string WithoutSpaces(string message) => string.Concat(message.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>What the checker says: every report's rows and totals, and every diagnostic's code, line and message.</summary>
    private static string Figures(string text)
    {
        var parsed = Parser.Parse(new SourceText("figures.nn", text));
        var result = Checker.Check([parsed.Tree]);
        var figures = new StringBuilder();
        foreach (var diagnostic in parsed.Diagnostics.Concat(result.Diagnostics))
            figures.AppendLine($"{diagnostic.Code} line {diagnostic.Location.Start.Line}: {WithoutSpaces(diagnostic.Message)}");
        foreach (var network in result.Networks)
        {
            figures.AppendLine($"{network.Name} {network.Input} -> {network.Output}: {network.Parameters} params, {network.Macs} MACs");
            foreach (var layer in network.Layers)
                figures.AppendLine($"  {layer.Path} {layer.Kind} {layer.Description} {layer.Output} {layer.Parameters} {layer.Macs} line {layer.Location.Start.Line}");
        }
        return figures.ToString();
    }
}
