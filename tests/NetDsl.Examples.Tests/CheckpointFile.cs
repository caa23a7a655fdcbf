using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace NetDsl.Examples.Tests;

/// <summary>
/// The sections of a checkpoint file as the format documents them (examples/NetDsl.Examples/Training/Checkpoint.cs),
/// for tests that damage one part and seal it again with a valid checksum, as a deliberate edit would.
/// </summary>
internal sealed class CheckpointFile
{
    private readonly byte[] _header;

    public CheckpointFile(byte[] bytes)
    {
        _header = bytes[..8];
        var position = 8;
        for (var i = 0; i < 4; i++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
            Sections.Add(bytes[(position + 4)..(position + 4 + length)]);
            position += 4 + length;
        }
    }

    /// <summary>Description (JSON), state dict, optimizer state, generator state.</summary>
    public List<byte[]> Sections { get; } = [];

    public string Description
    {
        get => Encoding.UTF8.GetString(Sections[0]);
        set => Sections[0] = Encoding.UTF8.GetBytes(value);
    }

    public byte[] State
    {
        get => Sections[1];
        set => Sections[1] = value;
    }

    /// <summary>Offsets into <see cref="State"/> of the first tensor's element type, rank, first size and first element.</summary>
    public (int DType, int Rank, int FirstSize, int Data) FirstTensor()
    {
        var position = 0;
        Leb128(ref position); // the tensor count
        var nameLength = (int)Leb128(ref position);
        position += nameLength;
        var dtype = position;
        Leb128(ref position);
        var rank = position;
        var dimensions = Leb128(ref position);
        var firstSize = position;
        for (var d = 0; d < dimensions; d++)
            Leb128(ref position);
        return (dtype, rank, firstSize, position);
    }

    private long Leb128(ref int position)
    {
        long value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = State[position++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }

    /// <summary>The file with a checksum that matches its (possibly edited) contents.</summary>
    public byte[] Sealed()
    {
        var body = new List<byte>(_header);
        foreach (var section in Sections)
        {
            body.AddRange(BitConverter.GetBytes((uint)section.Length));
            body.AddRange(section);
        }
        var bytes = body.ToArray();
        return [.. bytes, .. BitConverter.GetBytes(XxHash3.HashToUInt64(bytes))];
    }

    public static byte[] Replace(byte[] bytes, int at, int length, params byte[] with) => [.. bytes[..at], .. with, .. bytes[(at + length)..]];
}
