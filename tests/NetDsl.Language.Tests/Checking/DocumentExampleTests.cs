
namespace NetDsl.Language.Tests.Checking;

/// <summary>The examples of docs/language.md and of the original sketch check with no diagnostics.</summary>
public class DocumentExampleTests
{
    public const string MultiPath = """
        block MultiPath(out: int, paths: int = 3, attention: bool = false, s: int = 1) {
            parallel concat {
                for p in 1..paths {
                    path { repeat p as j { conv(out / paths, k: 3, s: j == 0 ? s : 1) bn relu } }
                }
            }
            if attention { se(reduce: 16) }
        }

        network MultiPathNet(classes: int = 10) {
            input 3x32x32
            conv(48, k: 3) bn relu
            MultiPath(96, s: 2) MultiPath(96, attention: true)
            avgpool flatten linear(classes)
        }
        """;

    public const string Tiny = """
        network Tiny(classes: int = 10) {
            input 1x28x28
            stem: { conv(16, k: 3) bn relu }
            conv(32, k: 3, s: 2) as down bn relu
            avgpool flatten linear(classes) as head
        }
        """;

    [Fact]
    public void Every_fenced_nn_example_of_the_language_reference_checks_clean()
    {
        var examples = FencedExamples(RepositoryPaths.Combine("docs", "language.md"))
            .Where(text => text.Contains("network ") || text.Contains("block "))
            .Where(text => !text.Contains("Name(") && !text.Contains("..."))
            .ToList();

        examples.Count.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var example in examples)
            Check.Clean(example);
    }

    [Fact]
    public void The_sketch_multipath_block_checks_clean_and_counts_its_paths()
    {
        var network = Check.Clean(MultiPath).Network("MultiPathNet");

        // MultiPath(96, s: 2) on 48x32x32: paths of 1, 2, 3 convs 3x3 to 32 channels, the first of each with stride 2.
        var block = network.Layer("3");
        block.Output!.ToString().ShouldBe("96x16x16");
        network.Layer("3.0.path1.0").Parameters.ShouldBe(32 * 48 * 9);
        network.Layer("3.0.path3.6").Description.ShouldBe("conv 3x3, 32");
        // 3 convs from 48 (+ bn 64 each), 3 convs 32 -> 32 (+ bn 64 each)
        block.Parameters.ShouldBe(3 * (32 * 48 * 9 + 64) + 3 * (32 * 32 * 9 + 64));
        network.Layer("4.1").Kind.ShouldBe("se");
        network.Layer("4.1").Parameters.ShouldBe(2 * 96 * 6 + 6 + 96);
    }

    [Fact]
    public void Labels_name_modules_and_unlabelled_statements_are_numbered()
    {
        var network = Check.Clean(Tiny).Network("Tiny");

        network.Layers.Select(l => l.Path).ShouldBe(new[]
        {
            "stem", "stem.0", "stem.1", "stem.2", "down", "0", "1", "2", "3", "head",
        });
        // conv 3x3, 1 -> 16 without bias (bn follows): 144; bn: 32
        network.Layer("stem").Parameters.ShouldBe(144 + 32);
        network.Layer("down").Output!.ToString().ShouldBe("32x14x14");
        network.Layer("head").Parameters.ShouldBe(32 * 10 + 10);
        network.Parameters.ShouldBe(176 + 16 * 32 * 9 + 64 + 330);
    }

    internal static IEnumerable<string> FencedExamples(string markdown)
    {
        var lines = File.ReadAllLines(markdown);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```")
                continue;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            if (end < 0)
                yield break;
            yield return string.Join("\n", lines[(i + 1)..end]);
            i = end;
        }
    }
}
