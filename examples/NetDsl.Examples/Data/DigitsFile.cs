using System.IO.Compression;

namespace NetDsl.Examples.Data;

/// <summary>
/// Reads digits files (format: examples/data/README.md) and finds the one the program ships with.
/// </summary>
public static class DigitsFile
{
    /// <summary>The file name the build copies next to the program, under <c>data/</c>.</summary>
    public const string DefaultFileName = "digits.bin";

    /// <summary>Environment variable that, when set, names the digits file to use.</summary>
    public const string PathVariable = "NETDSL_DIGITS";

    /// <summary>The file is read whole into memory; the shipped one has 1.6 MB, so a larger file is not a digits file.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>
    /// Finds the digits file: <paramref name="explicitPath"/> when given, else $NETDSL_DIGITS (which must then name
    /// an existing file: a wrong path is an error, not a silent fall-back to the shipped digits), else
    /// <c>data/digits.bin</c> beside the program, else <c>examples/data/digits.bin</c> in the current
    /// directory or one of its parents (running from a source checkout).
    /// </summary>
    public static string Locate(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
            return File.Exists(explicitPath)
                ? Path.GetFullPath(explicitPath)
                : throw new FileNotFoundException($"digits file not found: {explicitPath}", explicitPath);

        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } fromEnvironment)
            return File.Exists(fromEnvironment)
                ? Path.GetFullPath(fromEnvironment)
                : throw new FileNotFoundException(
                    $"{PathVariable} names {fromEnvironment}, which is not a file; point it at a digits file, or unset it to use the shipped digits",
                    fromEnvironment);

        var candidates = new List<string>();
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "data", DefaultFileName));
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "examples", "data", DefaultFileName));

        return candidates.FirstOrDefault(File.Exists) is { } found
            ? Path.GetFullPath(found)
            : throw new FileNotFoundException(
                $"digits file not found; looked in:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", candidates));
    }

    /// <summary>Loads and checks the digits file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, too large or not a digits file; the
    /// message names the whole path and says what to do.</exception>
    public static DigitsDataset Load(string path)
    {
        try
        {
            return Read(ReadBounded(path), Path.GetFileName(path));
        }
        catch (InvalidDataException e)
        {
            var where = Path.GetDirectoryName(Path.GetFullPath(path));
            throw new InvalidDataException(
                $"{e.Message} (in {where}); restore it from the repository (examples/data/{DefaultFileName}) or point {PathVariable} at a good copy", e);
        }
    }

    /// <summary>The whole file, refusing (without reading them all) more than <see cref="MaxBytes"/>, e.g. from a device.</summary>
    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        for (int read; (read = stream.Read(chunk)) > 0;)
        {
            if (buffer.Length + read > MaxBytes)
                throw new InvalidDataException($"{Path.GetFileName(path)} is larger than {MaxBytes:N0} bytes, so it is not a digits file");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Loads the file <see cref="Locate"/> finds.</summary>
    public static DigitsDataset LoadDefault() => Load(Locate());

    /// <summary>Parses a whole digits file held in memory; <paramref name="fileName"/> names it in error messages.</summary>
    public static DigitsDataset Read(ReadOnlySpan<byte> file, string fileName)
    {
        var header = DigitsFileHeader.Parse(file, fileName);
        var compressed = file[DigitsFileHeader.Size..];
        if (compressed.Length < header.CompressedLength)
            throw new InvalidDataException(
                $"{fileName} is truncated: expected {header.CompressedLength:N0} bytes of compressed images after the header, found {compressed.Length:N0}");
        if (compressed.Length > header.CompressedLength)
            throw new InvalidDataException(
                $"{fileName} has {compressed.Length - header.CompressedLength:N0} unexpected bytes after the compressed images");

        var payload = Inflate(compressed, header, fileName);
        var labels = payload.AsSpan(0, header.Count);
        var pixels = payload.AsSpan(header.Count);
        var expectedPixels = (long)header.Count * header.PixelsPerImage;
        if (pixels.Length != expectedPixels)
            throw new InvalidDataException(
                $"{fileName} is truncated: expected {expectedPixels:N0} bytes of pixels, found {Math.Max(0, pixels.Length):N0}");

        var actualCrc = System.IO.Hashing.Crc32.HashToUInt32(payload);
        if (actualCrc != header.PayloadCrc32)
            throw new InvalidDataException(
                $"{fileName} is corrupt: checksum of the images is {actualCrc:x8}, the header says {header.PayloadCrc32:x8}");

        for (var i = 0; i < labels.Length; i++)
            if (labels[i] >= header.ClassCount)
                throw new InvalidDataException(
                    $"{fileName} is corrupt: image {i:N0} has label {labels[i]}, outside 0..{header.ClassCount - 1}");

        var shape = new ImageShape(header.Rows, header.Cols);
        var trainEnd = header.TrainCount;
        return new DigitsDataset(
            fileName, shape, header.ClassCount,
            new DigitsSplit("train", shape, header.ClassCount, labels[..trainEnd].ToArray(), pixels[..(trainEnd * shape.Pixels)].ToArray()),
            new DigitsSplit("test", shape, header.ClassCount, labels[trainEnd..].ToArray(), pixels[(trainEnd * shape.Pixels)..].ToArray()));
    }

    private static byte[] Inflate(ReadOnlySpan<byte> compressed, DigitsFileHeader header, string fileName)
    {
        var payload = new byte[header.PayloadLength];
        using var source = new MemoryStream(compressed.ToArray(), writable: false);
        using var inflater = new DeflateStream(source, CompressionMode.Decompress);
        int total = 0;
        bool overlong;
        try
        {
            for (int read; total < payload.Length && (read = inflater.Read(payload, total, payload.Length - total)) > 0;)
                total += read;
            overlong = total == payload.Length && inflater.ReadByte() != -1;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{fileName} is corrupt: the compressed images cannot be inflated ({e.Message})", e);
        }

        if (overlong)
            throw new InvalidDataException(
                $"{fileName} is corrupt: the compressed images inflate to more than the {payload.Length:N0} bytes the header announces");
        if (total < header.Count)
            throw new InvalidDataException(
                $"{fileName} is truncated: expected {header.Count:N0} bytes of labels, found {total:N0}");
        return total == payload.Length ? payload : payload[..total];
    }
}
