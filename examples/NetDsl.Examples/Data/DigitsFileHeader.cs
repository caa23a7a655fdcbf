using System.Buffers.Binary;
using System.Text;

namespace NetDsl.Examples.Data;

/// <summary>
/// The fixed 32-byte header of a digits file (layout: examples/data/README.md). All integers are
/// little-endian; the payload that follows is raw DEFLATE of labels then pixels.
/// </summary>
internal sealed record DigitsFileHeader(
    int Rows, int Cols, int ClassCount, int Count, int TrainCount,
    long PayloadLength, long CompressedLength, uint PayloadCrc32)
{
    public const int Size = 32;
    public const ushort SupportedVersion = 1;
    public static ReadOnlySpan<byte> Magic => "NDIG"u8;

    public int PixelsPerImage => Rows * Cols;

    /// <summary>Reads and validates the header; <paramref name="fileName"/> only names the file in messages.</summary>
    public static DigitsFileHeader Parse(ReadOnlySpan<byte> bytes, string fileName)
    {
        if (bytes.Length < Size)
            throw new InvalidDataException(
                $"{fileName} is truncated: expected a {Size}-byte header, found {bytes.Length:N0} bytes");
        if (!bytes[..4].SequenceEqual(Magic))
            throw new InvalidDataException(
                $"{fileName} is not a digits file: expected magic \"NDIG\", found \"{Printable(bytes[..4])}\"");

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != SupportedVersion)
            throw new InvalidDataException(
                $"{fileName} has format version {version}; this reader understands version {SupportedVersion}");

        var header = new DigitsFileHeader(
            Rows: BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]),
            Cols: BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]),
            ClassCount: BinaryPrimitives.ReadUInt16LittleEndian(bytes[10..]),
            Count: checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..])),
            TrainCount: checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..])),
            PayloadLength: BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]),
            CompressedLength: BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]),
            PayloadCrc32: BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]));
        header.Validate(fileName);
        return header;
    }

    private void Validate(string fileName)
    {
        if (Rows == 0 || Cols == 0 || Count == 0 || ClassCount is < 2 or > 256)
            throw new InvalidDataException(
                $"{fileName} has an impossible header: {Count:N0} images of {Rows}x{Cols} pixels in {ClassCount} classes");
        if (TrainCount > Count)
            throw new InvalidDataException(
                $"{fileName} has an impossible header: {TrainCount:N0} training images out of {Count:N0}");
        var expected = (long)Count * (1 + PixelsPerImage);
        if (PayloadLength != expected)
            throw new InvalidDataException(
                $"{fileName} has an inconsistent header: {Count:N0} images of {Rows}x{Cols} need {expected:N0} payload bytes, header says {PayloadLength:N0}");
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        return text.ToString();
    }
}
