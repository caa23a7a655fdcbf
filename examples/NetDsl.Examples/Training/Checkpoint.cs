using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using NetDsl.IO;
using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>
/// A training checkpoint is one file, written atomically (NetDsl.IO.AtomicFile: a reader sees the old file or
/// the new one, never a mix), that holds what was trained (network, variant, epochs and their history), the
/// weights, and the trainer's state, so a resumed run continues exactly. Loading verifies everything before a
/// module is touched: the checksum, the description, the tensors' layout, and that every weight is finite.
/// <para>Layout, little-endian: the magic <c>NDCK</c>; u16 format version (1); u16 zero; four sections, each a
/// u32 length and its bytes — the description (UTF-8 JSON), the state dict (TorchSharp's <c>Module.save</c>
/// format), the optimizer's state (TorchSharp's <c>save_state_dict</c> format; empty when none), torch's random
/// generator state (empty when none); then the XxHash3 (64-bit) of every byte before it.</para>
/// </summary>
public static class Checkpoint
{
    /// <summary>The file name extension of checkpoints: <c>runs/&lt;model&gt;/&lt;model&gt;.ckpt</c>.</summary>
    public const string Extension = ".ckpt";

    public const ushort FormatVersion = 1;

    /// <summary>Checkpoints are read whole into memory; the largest zoo model's is far smaller.</summary>
    public const long MaxBytes = 1L << 30;

    private const int HeaderBytes = 8, ChecksumBytes = 8, SectionCount = 4;

    private static ReadOnlySpan<byte> Magic => "NDCK"u8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Writes the checkpoint of <paramref name="module"/> (and, when given, the trainer's state) to <paramref name="path"/>.
    /// Non-finite weights or metrics are refused, so a diverged run never replaces a good checkpoint.
    /// </summary>
    /// <param name="writeFile">How the bytes reach the disk; tests pass one that fails half-way.</param>
    /// <exception cref="CheckpointException">The module or the description holds a value that is not finite.</exception>
    public static void Save(string path, nn.Module module, CheckpointInfo info, TrainerState? trainer = null, Action<string, Action<Stream>>? writeFile = null)
    {
        if (info.Inconsistency() is { } inconsistency)
            throw new CheckpointException($"{path} not saved: {inconsistency}");
        var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, Encoding.UTF8, leaveOpen: true))
            module.save(writer);
        try
        {
            StateEntry.Read(state.GetBuffer().AsSpan(0, (int)state.Length));
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path} not saved, so it keeps what it held: {e.Message}");
        }

        var bytes = Encode(JsonSerializer.SerializeToUtf8Bytes(info, Json), state.ToArray(), OptimizerSection(trainer), trainer?.GeneratorState ?? []);
        (writeFile ?? AtomicFile.Write)(path, stream => stream.Write(bytes));
    }

    /// <summary>Reads and verifies the checkpoint at <paramref name="path"/> without loading it into a module.</summary>
    /// <exception cref="CheckpointException">It is missing, unreadable, damaged or inconsistent; the message says which.</exception>
    public static CheckpointInfo ReadInfo(string path) => Read(path).Info;

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="module"/> (and its trainer state, if
    /// asked), after verifying all of it and that it was trained as <paramref name="expectedVariant"/> with exactly
    /// the module's parameter names, shapes and element types. The module is untouched when anything is wrong.
    /// </summary>
    /// <exception cref="CheckpointException">Why the checkpoint cannot be used, naming the file.</exception>
    public static CheckpointInfo Load(string path, nn.Module module, string? expectedVariant = null) =>
        Load(path, module, expectedVariant, out _);

    /// <inheritdoc cref="Load(string, nn.Module, string?)"/>
    /// <param name="trainer">The optimizer and generator state saved with the weights, or null when there was none.</param>
    public static CheckpointInfo Load(string path, nn.Module module, string? expectedVariant, out TrainerState? trainer)
    {
        var contents = Read(path);
        var mismatch = StateLayoutMismatch.Compare(StateEntry.Of(module), contents.Entries);
        if (expectedVariant is not null && contents.Info.Variant != expectedVariant)
        {
            var layout = mismatch is null
                ? "its keys and shapes are the same, but the training settings are another model's"
                : "its parameters do not fit this module:" + mismatch.Details();
            throw new CheckpointException($"{path} was trained as {contents.Info.Variant}, not {expectedVariant}: {layout}");
        }
        if (mismatch is not null)
            throw new CheckpointException($"{path} does not fit this module:{mismatch.Details()}");

        using (var reader = new BinaryReader(new MemoryStream(contents.State, writable: false)))
            module.load(reader, strict: true);
        trainer = contents.Trainer;
        return contents.Info;
    }

    /// <summary>A verified checkpoint: its description, state dict bytes and layout, and trainer state.</summary>
    private sealed record Contents(CheckpointInfo Info, byte[] State, IReadOnlyList<StateEntry> Entries, TrainerState? Trainer);

    private static Contents Read(string path)
    {
        var bytes = ReadBytes(path);
        const string remedy = "train again with --overwrite";
        if (bytes.Length < HeaderBytes + 4 * SectionCount + ChecksumBytes)
            throw new CheckpointException($"{path} is truncated: {bytes.Length:N0} bytes, fewer than any checkpoint has; {remedy}");
        if (!bytes.AsSpan(0, 4).SequenceEqual(Magic))
            throw new CheckpointException($"{path} is not a NetDsl checkpoint (it does not start with \"NDCK\"); give a {Extension} file written by `train`");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        if (version != FormatVersion)
            throw new CheckpointException($"{path} has checkpoint format version {version}; this program reads version {FormatVersion}");
        var body = bytes.AsSpan(0, bytes.Length - ChecksumBytes);
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(body.Length));
        var actual = XxHash3.HashToUInt64(body);
        if (stored != actual)
            throw new CheckpointException($"{path} is damaged: its checksum is {actual:x16}, the file says {stored:x16} (changed or cut short since it was saved); {remedy}");

        var position = HeaderBytes;
        var sections = new byte[SectionCount][];
        for (var i = 0; i < SectionCount; i++)
        {
            var length = position + 4 <= body.Length ? BinaryPrimitives.ReadUInt32LittleEndian(body[position..]) : uint.MaxValue;
            position += 4;
            if (length > body.Length - position)
                throw new CheckpointException($"{path} is damaged: section {i + 1} of {SectionCount} runs past the end of the file; {remedy}");
            sections[i] = body.Slice(position, (int)length).ToArray();
            position += (int)length;
        }
        if (position != body.Length)
            throw new CheckpointException($"{path} is damaged: {body.Length - position:N0} unexpected bytes before its checksum; {remedy}");

        CheckpointInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(sections[0], Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} has an unreadable description ({e.Message}); {remedy}");
        }
        if (info is null || info.History is null || info.Network is null || info.Variant is null)
            throw new CheckpointException($"{path} has an incomplete description (network, variant, epoch and history are required); {remedy}");
        if (info.Inconsistency() is { } inconsistency)
            throw new CheckpointException($"{path} is inconsistent: {inconsistency}; {remedy}");

        IReadOnlyList<StateEntry> entries;
        try
        {
            entries = StateEntry.Read(sections[1]);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path} holds unusable weights: {e.Message}; {remedy}");
        }

        TrainerState? trainer = null;
        if (sections[2].Length > 0)
        {
            var nameLength = sections[2][0];
            if (1 + nameLength > sections[2].Length)
                throw new CheckpointException($"{path} is damaged: its optimizer state is cut short; {remedy}");
            trainer = new TrainerState(Encoding.UTF8.GetString(sections[2], 1, nameLength), sections[2][(1 + nameLength)..], sections[3]);
        }
        return new Contents(info, sections[1], entries, trainer);
    }

    private static byte[] ReadBytes(string path)
    {
        try
        {
            if (Directory.Exists(path))
                throw new CheckpointException($"{path} is a directory; give the {Extension} file inside it");
            var file = new FileInfo(path);
            if (!file.Exists)
                throw new CheckpointException($"no checkpoint at {path}; train one first, or check the path");
            if (file.Length > MaxBytes)
                throw new CheckpointException($"{path} is {file.Length:N0} bytes, more than the {MaxBytes:N0} a checkpoint may have; give a {Extension} file written by `train`");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path} cannot be read: {e.Message}");
        }
    }

    /// <summary>The optimizer's type name (u8 length, UTF-8), then its state; empty when there is no trainer state.</summary>
    private static byte[] OptimizerSection(TrainerState? trainer)
    {
        if (trainer is null)
            return [];
        var name = Encoding.UTF8.GetBytes(trainer.Optimizer);
        if (name.Length > byte.MaxValue)
            throw new ArgumentException($"optimizer name '{trainer.Optimizer}' is too long", nameof(trainer));
        return [(byte)name.Length, .. name, .. trainer.OptimizerState];
    }

    private static byte[] Encode(params byte[][] sections)
    {
        var length = HeaderBytes + sections.Sum(s => 4L + s.Length) + ChecksumBytes;
        if (length > MaxBytes)
            throw new CheckpointException($"a checkpoint of {length:N0} bytes would exceed the {MaxBytes:N0} this program reads back");
        var bytes = new byte[length];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), FormatVersion);
        var position = HeaderBytes;
        foreach (var section in sections)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), (uint)section.Length);
            section.CopyTo(bytes, position + 4);
            position += 4 + section.Length;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(position), XxHash3.HashToUInt64(bytes.AsSpan(0, position)));
        return bytes;
    }
}
