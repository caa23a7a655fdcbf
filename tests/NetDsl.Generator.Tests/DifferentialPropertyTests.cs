using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using TorchSharp;

namespace NetDsl.Generator.Tests;

/// <summary>
/// The differential test of issue 11: random valid programs over the whole language are checked, generated,
/// compiled and built with TorchSharp, and for every network and variant, and every row of its report, the
/// built module's parameter count and output shape must be the checker's.
/// </summary>
public class DifferentialPropertyTests
{
    // One program is a list of choices; CsCheck shrinks a failing batch to fewer, smaller choices, so the
    // program printed on failure is short. Ten programs share one compilation to keep CI time modest.
    private const int ProgramsPerBatch = 10;
    private const int Batches = 36;

    private const string SharedBlocks = """
        block Unit(out: int, s: int = 1) { conv(out, k: 3, s: s) bn relu }
        block Mixed(out: int, wide: bool = false) {
            parallel concat { path { conv(out, k: 1) } path { if wide { conv(out, k: 3) } else { dwconv(k: 3) conv(out, k: 1) } } }
        }
        block Pair(out: int) {
            inputs x, y
            from x conv(out, k: 1) -> p
            from y conv(out, k: 3) -> q
            fuse(p, q) as mixed -> s
            outputs s, q
        }
        """;

    [Fact]
    public void Random_programs_build_modules_with_the_checkers_parameter_counts_and_shapes()
    {
        var valid = 0;
        Gen.Int[0, 999].Array[1, 14].Array[ProgramsPerBatch]
            .Sample(batch => valid += CompareBatch(batch), iter: Batches, threads: 1, seed: "0N0WtT1NWhd3",
                print: batch => string.Join("\n", batch.Select((choices, i) => Program(i, choices))));
        // Programs the checker rejects are left out; about 93 % are valid by construction, so 360 give 300 with room.
        valid.ShouldBeGreaterThanOrEqualTo(300);
    }

    private static int CompareBatch(int[][] batch)
    {
        var files = new List<NnFile> { new("/p/Blocks.nn", SharedBlocks) };
        var reports = new List<NetDsl.Model.NetworkReport>();
        for (var i = 0; i < batch.Length; i++)
        {
            var text = Program(i, batch[i]);
            var result = Check(SharedBlocks, text);
            if (result.HasErrors)
                continue;
            files.Add(new NnFile($"/p/P{i}.nn", text));
            reports.AddRange(result.Networks.Where(n => n.NetworkName == $"N{i}"));
        }

        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver([.. files]), GeneratorHarness.Compilation());
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ShouldBeEmpty();
        using var loaded = new LoadedAssembly(output);
        foreach (var report in reports)
            CompareNetwork(loaded, report);
        return files.Count - 1;
    }

    private static NetDsl.Checking.CheckResult Check(params string[] texts) =>
        NetDsl.Checking.Checker.Check(texts.Select((text, i) => NetDsl.Parsing.Parser.Parse(new NetDsl.Syntax.SourceText($"/p/{i}.nn", text)).Tree));

    private static void CompareNetwork(LoadedAssembly loaded, NetDsl.Model.NetworkReport report)
    {
        using var module = loaded.Create(report.Name);
        var modules = Descendants(module, "").ToDictionary(m => m.Name, m => m.Module);
        // Every row is a module, and every tensor of the state dict belongs to a row (containers such as a residual's
        // body have modules but no row and no tensors of their own).
        var paths = report.Layers.Select(row => row.Path).ToHashSet();
        paths.Where(path => !modules.ContainsKey(path)).ShouldBeEmpty($"{report.Name}: rows without a module");
        module.state_dict().Keys.Select(key => key[..key.LastIndexOf('.')]).Where(prefix => !paths.Contains(prefix))
            .ShouldBeEmpty($"{report.Name}: state-dict tensors outside every row");
        module.parameters().Sum(p => p.numel()).ShouldBe(report.Parameters, report.Name);

        var outputs = new Dictionary<string, long[]>();
        var hooks = new List<Action>();
        foreach (var row in report.Layers)
        {
            modules[row.Path].parameters().Sum(p => p.numel()).ShouldBe(row.Parameters, $"{report.Name}: parameters of {row.Path}");
            var path = row.Path;
            // A module shared by several feature maps runs once per map: the row shows the first.
            switch (modules[path])
            {
                case torch.nn.Module<torch.Tensor, torch.Tensor> layer:
                    hooks.Add(layer.register_forward_hook((_, _, result) => { outputs.TryAdd(path, result.shape); return result; }).remove);
                    break;
                case torch.nn.Module<IReadOnlyList<torch.Tensor>, torch.Tensor> merge:
                    hooks.Add(merge.register_forward_hook((_, _, result) => { outputs.TryAdd(path, result.shape); return result; }).remove);
                    break;
                case torch.nn.Module<IReadOnlyList<torch.Tensor>, IReadOnlyList<torch.Tensor>> graphBlock:
                    hooks.Add(graphBlock.register_forward_hook((_, _, result) => { outputs.TryAdd(path, result[0].shape); return result; }).remove);
                    break;
            }
        }
        module.eval();
        using (torch.no_grad())
        {
            var input = report.Input;
            using var result = module.call(torch.randn(1, input.Channels, input.Height, input.Width));
            result.shape.ShouldBe(Shape(report.Output!), report.Name);
        }
        foreach (var removeHook in hooks)
            removeHook();
        foreach (var row in report.Layers)
        {
            outputs.ShouldContainKey(row.Path, $"{report.Name}: {row.Path} never ran");
            outputs[row.Path].ShouldBe(Shape(row.Output!), $"{report.Name}: output of {row.Path}");
        }
    }

    /// <summary>Every sub-module with its state-dict prefix, through named_children (which sees field-registered ones).</summary>
    private static IEnumerable<(string Name, torch.nn.Module Module)> Descendants(torch.nn.Module module, string prefix)
    {
        foreach (var (name, child) in module.named_children())
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            yield return (path, child);
            foreach (var descendant in Descendants(child, path))
                yield return descendant;
        }
    }

    private static long[] Shape(NetDsl.Model.FeatureShape shape) =>
        shape.IsFlat ? [1, shape.Channels] : [1, shape.Channels, shape.Height, shape.Width];

    /// <summary>
    /// The program for one list of choices: a network using every kind of statement, with shapes kept valid by
    /// tracking channels and size as the checker would, and a variant with other arguments.
    /// </summary>
    internal static string Program(int index, int[] choices)
    {
        var builder = new ProgramBuilder(choices);
        var body = new StringBuilder();
        var statements = 1 + builder.Next(8);
        for (var i = 0; i < statements; i++)
            body.Append("    ").AppendLine(builder.Statement());
        body.Append("    ").AppendLine(builder.Next(2) == 0 ? "avgpool flatten linear(10)" : "maxpool flatten dropout linear(5, bias: false) relu6");
        var text = new StringBuilder();
        text.AppendLine($"network N{index}(flag: bool = true, width: int = 8) {{");
        text.AppendLine($"    input 3x{builder.Size}x{builder.Size}");
        text.Append(body);
        text.AppendLine("}");
        text.AppendLine($"variant N{index}_V = N{index}(flag: false, width: {4 * (1 + builder.Next(3))}){(builder.Next(2) == 0 ? "" : " { input 3x12x12 }")}");
        return text.ToString();
    }

    private sealed class ProgramBuilder(int[] choices)
    {
        private int position;
        private int labels;
        private long channels = 3;
        private long size = 16;

        public int Size => 16;

        public int Next(int count) => position < choices.Length ? choices[position++] % count : 0;

        private string Label() => $"l{labels++}";

        private long Width() => 4 * (1 + Next(3));

        private string Stride()
        {
            if (size < 4 || Next(2) == 0)
                return "1";
            size = (size - 1) / 2 + 1;
            return "2";
        }

        public string Statement()
        {
            var choice = Next(33);
            switch (choice)
            {
                case 0:
                {
                    var (c, k) = (Width(), Next(2) == 0 ? 1 : 3);
                    channels = c;
                    return $"conv({c}, k: {k}, s: {Stride()}){(Next(3) == 0 ? " as " + Label() : "")}";
                }
                case 1:
                    return $"dwconv(k: 3, s: {Stride()}) bn";
                case 2:
                    return "bn " + NetDsl.Model.LayerCatalogue.Activations[Next(10)].Name;
                case 3:
                    if (size < 3)
                        return "avgpool(3, s: 1, pad: 1)";
                    if (Next(2) == 0)
                    {
                        size = (size - 2) / 2 + 1;
                        return "maxpool(2, s: 2)";
                    }
                    size = (size - 3 + 1) / 2 + 1;
                    return "maxpool(3, s: 2, ceil: true)";
                case 4:
                    return Next(2) == 0 ? "se(reduce: 2)" : "se(squeeze: 4, act: hswish, gate: hsigmoid)";
                case 5:
                    return channels % 2 == 0 ? "shuffle(2)" : "relu";
                case 6:
                    channels = 16;
                    return Next(2) == 0 ? "compconv(16, d: 1)" : "compconv(16, k: 3, c0: 4)";
                case 7:
                    return Next(2) == 0 ? "dropout(0.1)" : "droppath(0.1)";
                case 8:
                    if (channels > 16)
                        return "tanh";
                    channels *= 2;
                    return "crelu";
                case 9:
                    return $"residual {{ conv({channels}, k: 3) bn relu conv({channels}, k: 1) as {Label()} }}";
                case 10:
                {
                    var c = Width();
                    var s = Stride();
                    channels = c;
                    return $"residual(project: true) {{ conv({c}, k: 3, s: {s}) bn }}";
                }
                case 11:
                {
                    var (a, b) = (Width(), Width());
                    channels = a + b;
                    return $"parallel concat {{ path {Label()} {{ conv({a}, k: 1) }} path {{ conv({b}, k: 3) bn }} }}";
                }
                case 12:
                    return $"parallel add {{ path {{ conv({channels}, k: 1) }} path {{ }} }}";
                case 13:
                    return channels % 2 == 0 ? $"split {{ path {{ conv({channels / 2}, k: 1) }} path {{ }} }}" : "identity";
                case 14:
                    return Next(2) == 0
                        ? $"repeat {Next(3)} {{ conv({channels}, k: 3) bn relu }}"
                        : $"repeat 2 as i {{ conv({channels} + 0 * i, k: 1) }}";
                case 15:
                {
                    var n = 1 + Next(2);
                    channels = 4 * n;
                    return $"for i in 1..{n} {{ conv(4 * i, k: 1) }}";
                }
                case 16:
                    channels = 8;
                    return "for (w, k, act) in [(4, 1, relu), (8, 3, silu)] { conv(w, k: k) bn act }";
                case 17:
                    channels = 8;
                    return "parallel concat { for (w, k) in [(4, 1), (4, 3)] { path { conv(w, k: k) } } }";
                case 18:
                    channels += 8;
                    return "dense 2 { bn relu conv(4, k: 3) }";
                case 19:
                    channels = 8;
                    return "if flag { conv(8, k: 1) } else { conv(8, k: 3) bn }";
                case 20:
                {
                    var c = Width();
                    channels = c;
                    return $"Unit({c}, s: {Stride()})";
                }
                case 21:
                {
                    var c = Width();
                    channels = 2 * c;
                    return $"Mixed({c}, wide: {(Next(2) == 0 ? "flag" : "true")}) as {Label()}";
                }
                case 22:
                {
                    var c = Width();
                    channels = c;
                    return $"{Label()}: {{ conv({c}, k: 1) bn {(Next(2) == 0 ? "relu" : "")} }}";
                }
                case 23:
                    return $"residual when flag {{ conv({channels}, k: 3) }}";
                case 24:
                    channels = 16;
                    return "let doubled = width * 2\n    conv(doubled, k: 1)";
                case 25:
                {
                    var c = Width();
                    channels = c;
                    return $"split {{ for p in 1..1 {{ path {{ }} }} path {{ }} }} conv({c}, k: 1, groups: 1)";
                }
                // Named feature maps (issue 17): merges, resizing, several current maps, a graph block.
                case 26:
                {
                    var (a, b) = (Label(), Label());
                    return $"-> {a} conv({channels}, k: 3) bn -> {b} add({a}, {b}){(Next(2) == 0 ? " as " + Label() : "")}";
                }
                case 27:
                {
                    var (a, b, c) = (Label(), Label(), Width());
                    channels += c;
                    return $"-> {a} conv({c}, k: 1) -> {b} concat({a}, {b})";
                }
                case 28:
                {
                    if (size % 2 != 0)
                        return "identity";
                    var (a, b) = (Label(), Label());
                    return $"-> {a} upsample(2{(Next(2) == 0 ? "" : ", bilinear: true")}) maxpool(2, s: 2) -> {b} fuse({a}, {b})";
                }
                case 29:
                {
                    if (size < 4)
                        return "identity";
                    var (a, b) = (Label(), Label());
                    return $"-> {a} conv({channels}, k: 3, s: 2) resize(to: {a}{(Next(2) == 0 ? "" : ", bilinear: true")}) -> {b} add({b}, {a})";
                }
                case 30:
                {
                    var (a, b, c, d) = (Label(), Label(), Label(), Label());
                    channels *= 2;
                    return $"-> {a} conv({channels / 2}, k: 1) -> {b} from {a}, {b} bn relu -> {c}, {d} concat({c}, {d})";
                }
                case 31:
                {
                    var (a, u, v, c) = (Label(), Label(), Label(), Width());
                    channels = 2 * c;
                    return $"-> {a} from {a}, {a} Pair({c}) -> {u}, {v} concat({u}, {v})";
                }
                default:
                {
                    var c = Width();
                    channels = c;
                    return $"deconv({c}{(Next(2) == 0 ? "" : ", k: 4, s: 2, pad: 1")}) maxpool(2, s: 2, ceil: true)";
                }
            }
        }
    }

    /// <summary>A compilation's generated modules, loaded into a collectible context.</summary>
    private sealed class LoadedAssembly : IDisposable
    {
        private readonly System.Runtime.Loader.AssemblyLoadContext context = new(nameof(LoadedAssembly), isCollectible: true);
        private readonly System.Reflection.Assembly assembly;

        public LoadedAssembly(Compilation compilation)
        {
            using var image = new MemoryStream();
            var emitted = compilation.Emit(image);
            emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ShouldBeEmpty();
            image.Position = 0;
            assembly = context.LoadFromStream(image);
        }

        public torch.nn.Module<torch.Tensor, torch.Tensor> Create(string className)
        {
            var type = assembly.GetType($"{GeneratorHarness.Namespace}.{className}", throwOnError: true)!;
            var constructor = type.GetConstructors().Single();
            return (torch.nn.Module<torch.Tensor, torch.Tensor>)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
        }

        public void Dispose() => context.Unload();
    }
}
