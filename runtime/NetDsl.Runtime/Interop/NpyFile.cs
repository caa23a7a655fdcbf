using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>
/// NumPy's <c>.npy</c> format (versions 1 to 3) for float32 arrays in C order: what <c>numpy.save</c> writes
/// for <c>np.float32</c> data and <c>numpy.load</c> reads back.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a float32 array as a tensor of its shape.</summary>
    /// <param name="stream">The file's content (left open).</param>
    /// <param name="source">How messages name the file.</param>
    /// <exception cref="InteropFormatException">Not an .npy file, not little-endian float32 in C order, or truncated.</exception>
    public static Tensor Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InteropFormatException($"{source} is not a NumPy .npy file");
        var major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var size = new byte[2];
            ReadExactly(stream, size, source);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(size);
        }
        else if (major is 2 or 3)
        {
            var size = new byte[4];
            ReadExactly(stream, size, source);
            headerLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(size), int.MaxValue);
        }
        else
        {
            throw new InteropFormatException($"{source} is a .npy file of version {major}, which this reader does not know");
        }
        if (headerLength > 1 << 20)
            throw new InteropFormatException($"{source} has an implausible header of {headerLength:N0} bytes");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, source);
        var header = Encoding.Latin1.GetString(headerBytes);

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
            throw new InteropFormatException($"{source} has an unreadable .npy header: {header.Trim()}");
        var dtype = descr.Groups[1].Value;
        if (dtype != "<f4")
            throw new InteropFormatException($"{source} holds {Describe(dtype)} ('{dtype}'), not float32 ('<f4'): convert it with array.astype(numpy.float32)");
        if (fortran.Groups[1].Value == "True")
            throw new InteropFormatException($"{source} is stored in Fortran order: save numpy.ascontiguousarray(array) instead");
        var shape = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToArray();
        if (shape.Any(n => n < 0))
            throw new InteropFormatException($"{source} has an invalid shape ({shapeMatch.Groups[1].Value})");

        var count = shape.Aggregate(1L, (n, size) => n * size);
        var expected = count * sizeof(float);
        if (stream.CanSeek && stream.Length - stream.Position != expected)
            throw new InteropFormatException(
                $"{source} should hold {expected:N0} bytes of data for shape ({string.Join(", ", shape)}), but holds {stream.Length - stream.Position:N0}");
        var values = new float[count];
        ReadExactly(stream, MemoryMarshalBytes(values), source);
        return tensor(values, dtype: ScalarType.Float32).reshape(shape);
    }

    /// <summary>Writes <paramref name="values"/> as a float32 .npy array of its shape (version 1.0, C order).</summary>
    public static void Write(Tensor values, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(stream);
        using var scope = NewDisposeScope();
        var data = values.detach().to(ScalarType.Float32).cpu().contiguous();
        var shape = data.shape;
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        // The magic, version and length take 10 bytes; the header ends with '\n' and pads the whole to 64.
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)padded.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(padded));
        var array = data.data<float>().ToArray();
        stream.Write(MemoryMarshalBytes(array));
    }

    private static Span<byte> MemoryMarshalBytes(float[] values) =>
        BitConverter.IsLittleEndian
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())
            : throw new PlatformNotSupportedException(".npy float32 is read and written on little-endian machines only");

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
            throw new InteropFormatException($"{source} is truncated: it ends inside its {(buffer.Length > 64 ? "data" : "header")}");
    }

    private static string Describe(string dtype) => dtype switch
    {
        "<f8" => "float64",
        "<f2" => "float16",
        "<i8" => "int64",
        "<i4" => "int32",
        "|u1" => "uint8",
        "|b1" => "bool",
        _ => "another type",
    };

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
