using System.IO.Compression;
using NetDsl.Examples.Zoo;
using NetDsl.Runtime.Interop;
using NetDsl.Tests.Shared;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

/// <summary>
/// <c>export</c>, <c>predict</c>, <c>eval --checkpoint X.pt</c> and <c>train --init-from</c> with PyTorch's formats,
/// checked against Debian's PyTorch; and every kind of bad file refused with one line, exit 1 and no output.
/// </summary>
public sealed class InteropCommandTests : IDisposable
{
    private const string Digits = "MultiPathNet_Digits";
    private readonly string _directory = Directory.CreateTempSubdirectory("netdsl-interop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void Export_to_pt_reloads_in_PyTorch_and_comes_back_bit_exact()
    {
        var pt = PathOf("digits.pt");
        var safetensors = PathOf("digits.safetensors");
        var resaved = PathOf("resaved.pt");
        ProgramRun.Of("export", "--model", Digits, "--output", pt).ExitCode.ShouldBe(0);
        ProgramRun.Of("export", "--model", Digits, "--output", safetensors).ExitCode.ShouldBe(0);

        // PyTorch loads the .pt, checks the .safetensors with an independent reader (json + numpy), and saves the .pt again.
        var listing = DebianTorch.RunCode("""
            import json, struct, sys
            import numpy as np, torch
            state = torch.load(sys.argv[1])
            raw = open(sys.argv[2], "rb").read()
            size = struct.unpack("<Q", raw[:8])[0]
            header = json.loads(raw[8:8 + size])
            data = raw[8 + size:]
            types = {"F32": np.float32, "I64": np.int64}
            assert sorted(k for k in header if k != "__metadata__") == sorted(state), "safetensors keys differ"
            for key, entry in header.items():
                if key == "__metadata__":
                    continue
                begin, end = entry["data_offsets"]
                array = np.frombuffer(data[begin:end], dtype=types[entry["dtype"]]).reshape(entry["shape"])
                assert np.array_equal(array, state[key].numpy()), key
            torch.save(state, sys.argv[3])
            for key, value in state.items():
                print(key, str(value.dtype), list(value.shape))
            """, pt, safetensors, resaved);

        random.manual_seed(42); // export's default seed: the same weights
        using var original = ModelCatalog.Default.Find(Digits)!.Create();
        var expected = ModuleState.InPyTorchOrder(original);
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])
            .ShouldBe(expected.Select(e => e.Key)); // PyTorch sees NetDsl's keys, in PyTorch's order
        using var back = StateDictReader.Read(File.OpenRead(resaved), WeightFormat.PyTorch, "resaved.pt");
        back.Entries.Select(e => e.Key).ShouldBe(expected.Select(e => e.Key));
        foreach (var (mine, theirs) in expected.Zip(back.Entries))
        {
            theirs.Tensor.dtype.ShouldBe(mine.Tensor.dtype, mine.Key);
            theirs.Tensor.shape.ShouldBe(mine.Tensor.shape, mine.Key);
            theirs.Tensor.bytes.ToArray().SequenceEqual(mine.Tensor.bytes.ToArray()).ShouldBeTrue(mine.Key); // bit-exact
        }
        ExpectedShapesOf(listing).ShouldContain("num_batches_tracked torch.int64 []");
    }

    private static IEnumerable<string> ExpectedShapesOf(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)[0].Split('.')[^1] + " " + line.Split(' ', 2)[1]);

    [Fact]
    public void Eval_and_init_from_accept_the_exported_file_of_a_trained_model()
    {
        var trained = PathOf("run");
        ProgramRun.Of("train", "--model", Digits, "--limit", "100", "--batch", "50", "--epochs", "1", "--out", trained).ExitCode.ShouldBe(0);
        var own = Path.Combine(trained, Digits + ".ckpt");
        var pt = PathOf("trained.pt");
        var safetensors = PathOf("trained.safetensors");
        ProgramRun.Of("export", "--model", Digits, "--checkpoint", own, "--output", pt).ExitCode.ShouldBe(0);
        ProgramRun.Of("export", "--model", Digits, "--checkpoint", own, "--output", safetensors).ExitCode.ShouldBe(0);

        var fromOwn = ProgramRun.Of("eval", "--model", Digits, "--checkpoint", own, "--limit", "100");
        var fromPt = ProgramRun.Of("eval", "--model", Digits, "--checkpoint", pt, "--limit", "100");
        var fromSafetensors = ProgramRun.Of("eval", "--model", Digits, "--checkpoint", safetensors, "--limit", "100", "--show-map");

        fromPt.ExitCode.ShouldBe(0, fromPt.Output);
        fromSafetensors.ExitCode.ShouldBe(0, fromSafetensors.Output);
        AccuracyLine(fromPt).ShouldBe(AccuracyLine(fromOwn));
        AccuracyLine(fromSafetensors).ShouldBe(AccuracyLine(fromOwn));
        fromPt.Output.ShouldContain("trained.pt, mapped by name");
        fromSafetensors.Output.ShouldMatch(@"\d+ entries mapped by name:");
        fromSafetensors.Output.ShouldMatch(@"\n  stem\.0\.weight +<-  stem\.0\.weight  Float32 \[");

        var fineTuned = ProgramRun.Of("train", "--model", Digits, "--limit", "100", "--batch", "50", "--epochs", "1",
            "--out", PathOf("tuned"), "--init-from", pt);
        fineTuned.ExitCode.ShouldBe(0, fineTuned.Output);
        fineTuned.Output.ShouldContain($"starting {Digits} from {pt}, mapped by name");
    }

    private static string AccuracyLine(ProgramRun run) => run.Output.Split('\n').Single(line => line.StartsWith("accuracy:", StringComparison.Ordinal));

    [Fact]
    public void A_torchvision_ResNet18_checkpoint_gives_torchvisions_logits_through_predict()
    {
        DebianTorch.RunTool("torchvision_state_dict.py", "ResNet18", "--out", _directory, "--batch", "2");
        var outputs = PathOf("outputs.npy");

        var run = ProgramRun.Of("predict", "--model", "ResNet18", "--checkpoint", PathOf("ResNet18.pt"),
            "--input", PathOf("ResNet18.input.npy"), "--output", outputs, "--show-map");

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain("entries mapped by structure");
        run.Output.ShouldContain("<-  conv1.weight");
        run.Output.ShouldContain("wrote " + outputs + ": outputs (2, 1000)");
        using var actual = NpyFile.Read(File.OpenRead(outputs), "outputs.npy");
        using var expected = NpyFile.Read(File.OpenRead(PathOf("ResNet18.logits.npy")), "logits");
        var largest = expected.abs().max().item<float>();
        ((actual - expected).abs().max().item<float>() / largest).ShouldBeLessThan(1e-4f);
    }

    [Fact]
    public void A_pickle_that_would_run_code_is_refused_and_runs_nothing()
    {
        var evil = PathOf("evil.pt");
        var marker = PathOf("pwned");
        DebianTorch.RunCode("""
            import os, sys, torch
            class Payload:
                def __reduce__(self):
                    return (os.system, ("touch " + sys.argv[2],))
            torch.save({"stem.0.weight": Payload()}, sys.argv[1])
            """, evil, marker);

        Refused(["eval", "--model", Digits, "--checkpoint", evil], "evil.pt is not a readable PyTorch state dict");
        File.Exists(marker).ShouldBeFalse();
    }

    [Fact]
    public void Damaged_weight_files_are_refused_with_one_line_and_nothing_written()
    {
        var pt = PathOf("good.pt");
        var safetensors = PathOf("good.safetensors");
        ProgramRun.Of("export", "--model", Digits, "--output", pt).ExitCode.ShouldBe(0);
        ProgramRun.Of("export", "--model", Digits, "--output", safetensors).ExitCode.ShouldBe(0);
        var truncatedPt = Truncated(pt, "truncated.pt");
        var truncatedSafetensors = Truncated(safetensors, "truncated.safetensors");
        var notAZip = PathOf("text.pt");
        File.WriteAllText(notAZip, "not a checkpoint");
        var garbagePickle = PathOf("garbage.pt");
        using (var archive = ZipFile.Open(garbagePickle, ZipArchiveMode.Create))
        using (var entry = archive.CreateEntry("archive/data.pkl").Open())
            entry.Write([0x80, 0x02, 0xff, 0x13, 0x37]);
        var badHeader = PathOf("header.safetensors");
        var bytes = File.ReadAllBytes(safetensors);
        bytes[8] = (byte)'#'; // the JSON header's opening brace
        File.WriteAllBytes(badHeader, bytes);
        var hugeHeader = PathOf("huge.safetensors");
        File.WriteAllBytes(hugeHeader, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, (byte)'{', (byte)'}']);

        Refused(["predict", "--model", Digits, "--checkpoint", truncatedPt, "--input", Digits1(), "--output", PathOf("y.npy")], "truncated.pt is not a readable PyTorch state dict");
        Refused(["export", "--model", Digits, "--checkpoint", truncatedSafetensors, "--output", PathOf("out.pt")], "truncated.safetensors is not a readable safetensors file");
        Refused(["eval", "--model", Digits, "--checkpoint", notAZip], "text.pt is not a PyTorch state dict");
        Refused(["eval", "--model", Digits, "--checkpoint", garbagePickle], "garbage.pt is not a readable PyTorch state dict");
        Refused(["eval", "--model", Digits, "--checkpoint", badHeader], "header.safetensors is not a readable safetensors file");
        Refused(["export", "--model", Digits, "--checkpoint", hugeHeader, "--output", PathOf("out.safetensors")], "huge.safetensors is not a safetensors file");
        File.Exists(PathOf("y.npy")).ShouldBeFalse();
        File.Exists(PathOf("out.pt")).ShouldBeFalse();
        File.Exists(PathOf("out.safetensors")).ShouldBeFalse();
        Directory.EnumerateFiles(_directory, ".*").ShouldBeEmpty(); // no temporary files left behind
    }

    [Fact]
    public void Weights_of_another_network_are_refused_naming_the_first_differences()
    {
        var resnet = PathOf("resnet.pt");
        ProgramRun.Of("export", "--model", "CifarResNet18", "--output", resnet).ExitCode.ShouldBe(0);

        Refused(["eval", "--model", Digits, "--checkpoint", resnet], "resnet.pt has 102 parameters and buffers, the module 122 (batch-norm counters aside), and its keys are not the module's: first difference at entry 1: module stem.0.weight Float32 [24, 1, 3, 3], file stem.0.weight Float32 [64, 3, 3, 3]");
    }

    [Fact]
    public void Npy_inputs_of_the_wrong_type_or_shape_are_refused()
    {
        var weights = PathOf("digits.pt");
        ProgramRun.Of("export", "--model", Digits, "--output", weights).ExitCode.ShouldBe(0);
        var float64 = PathOf("float64.npy");
        WriteNpy(float64, "<f8", "(1, 1, 28, 28)", 784 * 8);
        var wrongShape = PathOf("rgb.npy");
        WriteNpy(wrongShape, "<f4", "(2, 3, 28, 28)", 2 * 3 * 784 * 4);
        var short_ = PathOf("short.npy");
        WriteNpy(short_, "<f4", "(1, 1, 28, 28)", 100);
        var output = PathOf("y.npy");

        Refused(["predict", "--model", Digits, "--checkpoint", weights, "--input", float64, "--output", output], "float64.npy holds float64 ('<f8'), not float32");
        Refused(["predict", "--model", Digits, "--checkpoint", weights, "--input", wrongShape, "--output", output], "rgb.npy has shape (2, 3, 28, 28), but MultiPathNet_Digits takes N x 1 x 28 x 28");
        Refused(["predict", "--model", Digits, "--checkpoint", weights, "--input", short_, "--output", output], "short.npy should hold 3,136 bytes");
        File.Exists(output).ShouldBeFalse();

        var good = ProgramRun.Of("predict", "--model", Digits, "--checkpoint", weights, "--input", Digits1(), "--output", output);
        good.ExitCode.ShouldBe(0, good.Output);
        using var logits = NpyFile.Read(File.OpenRead(output), "y.npy");
        logits.shape.ShouldBe([3L, 10L]);
    }

    [Fact]
    public void Export_picks_the_format_by_extension_and_refuses_others()
    {
        Refused(["export", "--model", Digits, "--output", PathOf("digits.bin")], "the extension picks the format, one of .pt, .pth, .safetensors");
    }

    /// <summary>Three zero digits, a valid predict input.</summary>
    private string Digits1()
    {
        var path = PathOf("three.npy");
        if (!File.Exists(path))
            using (var stream = File.Create(path))
                NpyFile.Write(zeros(3, 1, 28, 28), stream);
        return path;
    }

    private string Truncated(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var truncated = PathOf(name);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        return truncated;
    }

    /// <summary>Like <see cref="ProgramRun.Of"/>, on a console too wide to wrap any message.</summary>
    private static ProgramRun Unwrapped(string[] args)
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Interactive = Spectre.Console.InteractionSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100_000;
        var exitCode = NetDsl.Examples.Commands.ExamplesCommandLine.Run(args, console, writer);
        return new ProgramRun(exitCode, writer.ToString());
    }

    private static void WriteNpy(string path, string descr, string shape, int dataBytes)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}".PadRight(117) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
        stream.Write(new byte[dataBytes]);
    }

    /// <summary>Exit code 1 and exactly one line, "error: ..." containing <paramref name="message"/>: no stack trace.</summary>
    private static void Refused(string[] args, string message)
    {
        var run = Unwrapped(args);
        run.ExitCode.ShouldBe(1, run.Output);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, run.Output);
        lines[0].ShouldStartWith("error: ");
        lines[0].ShouldContain(message, Case.Sensitive, run.Output);
    }
}
