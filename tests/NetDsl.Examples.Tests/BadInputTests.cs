using System.Text;
using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

/// <summary>
/// Damaged files and bad arguments, as a careless or hostile user would give them: each gets one
/// <c>error:</c> line naming the file, what is wrong and what to do, exit code 1 (2 for usage errors), never a
/// stack trace, and nothing is written: an existing checkpoint stays byte for byte as it was.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private const string Model = "MultiPathNet_Digits";
    private readonly string _out = Directory.CreateTempSubdirectory("netdsl-bad-input-").FullName;

    private string CheckpointPath => Path.Combine(_out, Model + ".ckpt");

    public void Dispose() => Directory.Delete(_out, recursive: true);

    /// <summary>A real, untrained checkpoint of <see cref="Model"/>, as `train` would write it.</summary>
    private static readonly Lazy<byte[]> GoodCheckpoint = new(() =>
    {
        using var scope = NewDisposeScope();
        var model = ModelCatalog.Default.Find(Model)!;
        random.manual_seed(1);
        using var module = model.Create();
        var path = Path.Combine(Directory.CreateTempSubdirectory("netdsl-good-").FullName, "good.ckpt");
        Checkpoint.Save(path, module, new CheckpointInfo(model.Figures.Network, Model, 0, [], DateTimeOffset.UnixEpoch));
        var bytes = File.ReadAllBytes(path);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        return bytes;
    });

    private static byte[] Sealed(Action<CheckpointFile> edit)
    {
        var file = new CheckpointFile(GoodCheckpoint.Value);
        edit(file);
        return file.Sealed();
    }

    private static byte[] EditFirstTensor(Func<byte[], (int DType, int Rank, int FirstSize, int Data), byte[]> edit) =>
        Sealed(file => file.State = edit(file.State, file.FirstTensor()));

    private const string Retrain = "; train again with --overwrite";

    /// <summary>Name → the damaged file's bytes and the error line after "error: {path} " (a regular expression).</summary>
    private static readonly Dictionary<string, (Func<byte[]> Bytes, string Line)> DamagedCheckpoints = new()
    {
        ["empty"] = (() => [], "is truncated: 0 bytes, fewer than any checkpoint has" + Retrain),
        ["cut in half"] = (() => GoodCheckpoint.Value[..(GoodCheckpoint.Value.Length / 2)],
            "is damaged: its checksum is [0-9a-f]{16}, the file says [0-9a-f]{16} \\(changed or cut short since it was saved\\)" + Retrain),
        ["one flipped bit in the weights"] = (() =>
        {
            var bytes = (byte[])GoodCheckpoint.Value.Clone();
            bytes[bytes.Length / 2] ^= 0x40;
            return bytes;
        }, "is damaged: its checksum is [0-9a-f]{16}, the file says [0-9a-f]{16}"),
        ["epoch edited to 9, as the old sidecar could be"] = (() =>
        {
            var bytes = (byte[])GoodCheckpoint.Value.Clone();
            var at = bytes.AsSpan().IndexOf("\"epoch\": 0"u8);
            bytes[at + "\"epoch\": ".Length] = (byte)'9';
            return bytes;
        }, "is damaged: its checksum is"),
        ["epoch edited to 99, checksum updated"] = (() => Sealed(file => file.Description = file.Description.Replace("\"epoch\": 0", "\"epoch\": 99")),
            "is inconsistent: it says epoch 99 but its history has 0 epochs" + Retrain),
        ["a NaN weight"] = (() => EditFirstTensor((state, at) =>
            CheckpointFile.Replace(state, at.Data + 4 * 5, 4, BitConverter.GetBytes(float.NaN))),
            "holds unusable weights: stem\\.0\\.weight\\[5\\] is NaN: the weights are not finite \\(the run that saved them diverged\\)" + Retrain),
        ["an infinite weight"] = (() => EditFirstTensor((state, at) =>
            CheckpointFile.Replace(state, at.Data, 4, BitConverter.GetBytes(float.NegativeInfinity))),
            "holds unusable weights: stem\\.0\\.weight\\[0\\] is -Infinity"),
        ["rank 1000"] = (() => EditFirstTensor((state, at) => CheckpointFile.Replace(state, at.Rank, 1, 0xE8, 0x07)),
            "holds unusable weights: stem\\.0\\.weight has 1000 dimensions; a state dict has at most 8" + Retrain),
        ["a dimension of 2^40"] = (() => EditFirstTensor((state, at) => CheckpointFile.Replace(state, at.FirstSize, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20)),
            "holds unusable weights: stem\\.0\\.weight claims shape \\[1099511627776\\.\\.\\.\\], more than the file holds" + Retrain),
        ["element type 99"] = (() => EditFirstTensor((state, at) => CheckpointFile.Replace(state, at.DType, 1, 99)),
            "holds unusable weights: stem\\.0\\.weight has element type 99, which is not a tensor type this format holds" + Retrain),
        ["a description that is not JSON"] = (() => Sealed(file => file.Description = "{\"network\": \"MultiPathNet\","),
            "has an unreadable description \\(.+\\)" + Retrain),
        ["an empty description"] = (() => Sealed(file => file.Description = ""), "has an unreadable description"),
        ["a description without names"] = (() => Sealed(file => file.Description = "{}"),
            "has an incomplete description \\(network, variant, epoch and history are required\\)" + Retrain),
        ["a later format version"] = (() => CheckpointFile.Replace(GoodCheckpoint.Value, 4, 1, 2),
            "has checkpoint format version 2; this program reads version 1"),
        ["a TorchSharp weights file of the old format"] = (() =>
        {
            using var module = ModelCatalog.Default.Find(Model)!.Create();
            var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
                module.save(writer);
            return stream.ToArray();
        }, "is not a NetDsl checkpoint \\(it does not start with \"NDCK\"\\); give a \\.ckpt file written by `train`"),
    };

    public static TheoryData<string> DamagedCheckpointNames => new(DamagedCheckpoints.Keys);

    [Theory]
    [MemberData(nameof(DamagedCheckpointNames))]
    public void A_damaged_checkpoint_gets_one_error_line_from_eval_and_resume_and_stays_as_it_was(string damage)
    {
        var (bytes, line) = DamagedCheckpoints[damage];
        var damaged = bytes();
        File.WriteAllBytes(CheckpointPath, damaged);

        var eval = ProgramRun.Of("eval", "--model", Model, "--checkpoint", CheckpointPath, "--limit", "10");
        var resume = ProgramRun.Of("train", "--model", Model, "--out", _out, "--resume", "--limit", "10", "--epochs", "1");

        foreach (var run in new[] { eval, resume })
        {
            run.ExitCode.ShouldBe(1, run.Output);
            OneErrorLine(run).ShouldMatch("^error: " + System.Text.RegularExpressions.Regex.Escape(CheckpointPath) + " " + line);
        }
        File.ReadAllBytes(CheckpointPath).ShouldBe(damaged);
        Directory.GetFileSystemEntries(_out).ShouldBe([CheckpointPath]); // no plot, no temporary file
    }

    [Fact]
    public void A_missing_checkpoint_or_a_directory_in_its_place_gets_one_error_line()
    {
        var missing = ProgramRun.Of("eval", "--model", Model, "--checkpoint", CheckpointPath);
        var directory = ProgramRun.Of("eval", "--model", Model, "--checkpoint", _out);

        missing.ExitCode.ShouldBe(1);
        OneErrorLine(missing).ShouldBe($"error: no checkpoint at {CheckpointPath}; train one first, or check the path");
        directory.ExitCode.ShouldBe(1);
        OneErrorLine(directory).ShouldBe($"error: {_out} is a directory; give the .ckpt file inside it");
    }

    [Fact]
    public void A_new_run_into_a_directory_with_a_checkpoint_refuses_without_resume_or_overwrite()
    {
        File.WriteAllBytes(CheckpointPath, GoodCheckpoint.Value);

        var run = ProgramRun.Of("train", "--model", Model, "--out", _out, "--limit", "10", "--epochs", "1");

        run.ExitCode.ShouldBe(1);
        OneErrorLine(run).ShouldBe(
            $"error: {CheckpointPath} already holds a checkpoint; continue it with --resume, replace it with --overwrite, or choose another --out");
        File.ReadAllBytes(CheckpointPath).ShouldBe(GoodCheckpoint.Value);
    }

    [Fact]
    public void Resume_and_overwrite_together_are_a_usage_error()
    {
        var run = ProgramRun.Of("train", "--model", Model, "--out", _out, "--resume", "--overwrite");

        run.ExitCode.ShouldBe(2);
        OneErrorLine(run).ShouldBe("error: --resume and --overwrite contradict each other: continue the checkpoint, or replace it");
    }

    [Fact]
    public void An_option_that_does_not_parse_is_a_usage_error()
    {
        var run = ProgramRun.Of("train", "--model", Model, "--epochs", "many");

        run.ExitCode.ShouldBe(2);
        run.Output.ShouldContain("many");
    }

    [Fact]
    public void An_out_that_is_a_file_fails_before_any_training()
    {
        var file = Path.Combine(_out, "notes.txt");
        File.WriteAllText(file, "keep me");

        var run = ProgramRun.Of("train", "--model", Model, "--out", file, "--limit", "10", "--epochs", "1");

        run.ExitCode.ShouldBe(1);
        OneErrorLine(run).ShouldBe($"error: --out {file} is a file, not a directory; choose another directory with --out");
        File.ReadAllText(file).ShouldBe("keep me");
    }

    [Fact]
    public void An_out_that_cannot_be_created_fails_before_any_training()
    {
        var file = Path.Combine(_out, "notes.txt");
        File.WriteAllText(file, "keep me");
        var inside = Path.Combine(file, "run");

        var run = ProgramRun.Of("train", "--model", Model, "--out", inside, "--limit", "10", "--epochs", "1");

        run.ExitCode.ShouldBe(1);
        OneErrorLine(run).ShouldStartWith($"error: cannot write to --out {inside}: ");
        OneErrorLine(run).ShouldEndWith("; choose another directory with --out");
        Directory.GetFileSystemEntries(_out).ShouldBe([file]);
    }

    /// <summary>Name → what to put in NETDSL_DIGITS's file (null: point it at nothing) and the line's start after "error: ".</summary>
    private static readonly Dictionary<string, (Func<byte[]>? Bytes, string Line)> BadDigits = new()
    {
        ["nothing there"] = (null, "NETDSL_DIGITS names {0}, which is not a file; point it at a digits file, or unset it to use the shipped digits"),
        ["empty"] = (() => [], "digits.bin is truncated: expected a 32-byte header, found 0 bytes (in {1}); restore it from the repository (examples/data/digits.bin) or point NETDSL_DIGITS at a good copy"),
        ["cut short"] = (() => DigitsTestFile.Bytes[..100_000], "digits.bin is truncated: expected 1,616,692 bytes of compressed images after the header, found 99,968 (in {1}); restore it"),
        ["not a digits file"] = (() => "GIF89a and more bytes than a header needs..."u8.ToArray(), "digits.bin is not a digits file: expected magic \"NDIG\", found \"GIF8\" (in {1}); restore it"),
        ["a flipped byte"] = (() =>
        {
            var bytes = DigitsTestFile.Copy();
            bytes[28] ^= 0xFF; // the checksum in the header
            return bytes;
        }, "digits.bin is corrupt: checksum of the images is"),
    };

    public static TheoryData<string> BadDigitsNames => new(BadDigits.Keys);

    [Theory]
    [MemberData(nameof(BadDigitsNames))]
    public void A_bad_digits_file_gets_one_error_line_from_train_and_eval_before_anything_is_written(string problem)
    {
        var (bytes, line) = BadDigits[problem];
        var digitsDirectory = Path.Combine(_out, "data");
        Directory.CreateDirectory(digitsDirectory);
        var digits = Path.Combine(digitsDirectory, "digits.bin");
        if (bytes is not null)
            File.WriteAllBytes(digits, bytes());
        File.WriteAllBytes(CheckpointPath, GoodCheckpoint.Value);
        var runs = Path.Combine(_out, "runs");

        var previous = Environment.GetEnvironmentVariable(DigitsFile.PathVariable);
        Environment.SetEnvironmentVariable(DigitsFile.PathVariable, digits);
        ProgramRun train, eval;
        try
        {
            train = ProgramRun.Of("train", "--model", Model, "--out", runs, "--epochs", "1");
            eval = ProgramRun.Of("eval", "--model", Model, "--checkpoint", CheckpointPath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DigitsFile.PathVariable, previous);
        }

        foreach (var run in new[] { train, eval })
        {
            run.ExitCode.ShouldBe(1, run.Output);
            OneErrorLine(run).ShouldStartWith("error: " + string.Format(line, digits, digitsDirectory));
        }
        Directory.Exists(runs).ShouldBeFalse();
    }

    /// <summary>The run's whole output, which must be a single line starting with "error: " and hold no stack trace.</summary>
    private static string OneErrorLine(ProgramRun run)
    {
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        lines.Count.ShouldBe(1, run.Output);
        lines[0].ShouldStartWith("error: ");
        return lines[0];
    }
}
