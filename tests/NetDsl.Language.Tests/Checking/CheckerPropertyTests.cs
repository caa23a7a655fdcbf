using System.Text;
using CsCheck;
using NetDsl.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Checking;

/// <summary>Random programs, valid-shaped and mutated, never make the checker throw, hang or fail internally.</summary>
public class CheckerPropertyTests
{
    private static readonly string[] Leaves =
    {
        "conv({c}, k: {k}, s: {s})", "conv({c}, k: 3, groups: {g})", "dwconv(k: {k}, s: {s})", "bn", "relu", "hswish", "crelu",
        "maxpool({k}, s: {s})", "avgpool({k})", "se(reduce: {g})", "shuffle({g})", "compconv({c}, d: {d})", "compconv({c})",
        "dropout(0.{d})", "droppath(0.1)", "conv(channels div {g})", "conv(in * 2)", "conv({c} / {g})", "flatten", "linear({c})",
        "Unit({c}, s: {s})", "act", "conv(divisible({c} * 0.75, 8))",
    };

    private static readonly string[] Containers =
    {
        "residual {{ {0} }}", "residual(project: true) {{ {0} }}", "residual when channels == {c} {{ {0} }}",
        "parallel concat {{ path {{ {0} }} path {{ {1} }} }}", "parallel add {{ path {{ {0} }} path {{ }} }}",
        "split {{ path {{ {0} }} path {{ {1} }} }}", "repeat {g} as i {{ {0} }}", "dense {g} {{ {0} }}",
        "for (w, a) in [({c}, relu), ({c}, silu)] {{ conv(w) a }}", "if {c} > 16 {{ {0} }} else {{ {1} }}", "g{d}: {{ {0} }}",
        "for p in 1..{g} {{ {0} }}",
    };

    [Fact]
    public void Random_valid_shaped_programs_never_throw()
    {
        Gen.Int[0, int.MaxValue].Sample(seed => CheckSafely(RandomProgram(new Random(seed))), iter: 300);
    }

    [Fact]
    public void Mutated_programs_never_throw()
    {
        var sources = new[] { ReferenceNetworkTests.MobileNetV2, ReferenceNetworkTests.CifarResNet18, DocumentExampleTests.MultiPath };
        Gen.Select(Gen.Int[0, sources.Length - 1], Gen.Int[0, int.MaxValue])
            .Sample((index, seed) => CheckSafely(Mutate(sources[index], new Random(seed))), iter: 300);
    }

    private static void CheckSafely(string text)
    {
        var parsed = Parser.Parse(new SourceText("random.nn", text));
        var result = Checker.Check(new[] { parsed.Tree });
        result.Diagnostics.ShouldNotContain(d => d.Code == "NN0399", text);
        foreach (var network in result.Networks)
            network.Layers.ShouldAllBe(layer => layer != null);
    }

    internal static string RandomProgram(Random random)
    {
        var text = new StringBuilder();
        text.AppendLine($"block Unit(out: int, s: int = 1) {{ conv(out, k: 3, s: s) bn relu }}");
        text.AppendLine($"network N(width: float = 1.0) {{");
        text.AppendLine($"    input {random.Next(1, 5)}x{random.Next(1, 40)}x{random.Next(1, 40)}");
        text.AppendLine("    let act = relu");
        for (int i = random.Next(1, 8); i > 0; i--)
            text.AppendLine("    " + Statement(random, 3));
        text.AppendLine("    act conv(round(8 * width))");
        text.AppendLine("}");
        text.AppendLine($"variant Small = N(width: 0.{random.Next(0, 10)}) {{ input 3x{random.Next(1, 64)}x{random.Next(1, 64)} }}");
        return text.ToString();
    }

    private static string Statement(Random random, int depth)
    {
        if (depth == 0 || random.Next(3) > 0)
            return Fill(Leaves[random.Next(Leaves.Length)], random);
        string container = Containers[random.Next(Containers.Length)];
        string inner = Fill(container, random);
        return string.Format(inner, Statement(random, depth - 1), Statement(random, depth - 1));
    }

    private static string Fill(string template, Random random) => template
        .Replace("{c}", random.Next(-2, 70).ToString())
        .Replace("{k}", random.Next(0, 8).ToString())
        .Replace("{s}", random.Next(0, 4).ToString())
        .Replace("{g}", random.Next(0, 5).ToString())
        .Replace("{d}", random.Next(0, 5).ToString());

    internal static string Mutate(string source, Random random)
    {
        var text = new StringBuilder(source);
        string[] inserts = { "(", ")", "{", "}", "0", "-1", "x", ",", "in", "channels", "relu", "div", "/", "..", "?", "1e9", "conv(8)", "path { }", "[", "]" };
        for (int i = random.Next(1, 6); i > 0 && text.Length > 0; i--)
        {
            int at = random.Next(text.Length);
            switch (random.Next(3))
            {
                case 0:
                    text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at));
                    break;
                case 1:
                    text.Insert(at, inserts[random.Next(inserts.Length)]);
                    break;
                default:
                    text[at] = (char)random.Next(32, 127);
                    break;
            }
        }
        return text.ToString();
    }
}
