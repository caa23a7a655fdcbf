using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>One parameter or buffer of a module's state dict: its name, element type and shape.</summary>
public sealed record StateEntry(string Key, ScalarType DType, long[] Shape)
{
    /// <summary>More dimensions than any layer of a CNN has; a larger rank means the bytes are not a state dict.</summary>
    public const int MaxRank = 8;

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    public bool SameLayout(StateEntry other) => DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape);

    public override string ToString() => $"{Key} {DType} {ShapeText}";

    /// <summary>The entries of <paramref name="module"/>'s state dict, in its order.</summary>
    public static IReadOnlyList<StateEntry> Of(nn.Module module) =>
        module.state_dict().Select(kv => new StateEntry(kv.Key, kv.Value.dtype, kv.Value.shape)).ToList();

    /// <summary>
    /// Reads and checks a state dict in TorchSharp's <c>Module.save</c> format without giving it to libtorch:
    /// LEB128 entry count, then per entry a .NET length-prefixed UTF-8 name, LEB128 dtype, LEB128 rank,
    /// LEB128 sizes, and the raw little-endian element bytes. Every element type must be one this format
    /// can hold, every size must fit the bytes that are there, and every floating-point element must be finite.
    /// </summary>
    /// <exception cref="InvalidDataException">What is wrong, in words (without the file's name).</exception>
    public static IReadOnlyList<StateEntry> Read(ReadOnlySpan<byte> state)
    {
        var position = 0;
        var count = ReadLength(state, ref position, "the number of tensors");
        var entries = new List<StateEntry>();
        for (long i = 0; i < count; i++)
        {
            var keyLength = ReadLength(state, ref position, $"the name of tensor {i + 1}");
            if (keyLength > state.Length - position)
                throw new InvalidDataException($"it ends inside the name of tensor {i + 1}");
            var key = System.Text.Encoding.UTF8.GetString(state.Slice(position, (int)keyLength));
            position += (int)keyLength;

            var code = ReadLength(state, ref position, $"the element type of {key}");
            if (!ElementSizes.TryGetValue(code, out var elementSize))
                throw new InvalidDataException($"{key} has element type {code}, which is not a tensor type this format holds");
            var rank = ReadLength(state, ref position, $"the rank of {key}");
            if (rank > MaxRank)
                throw new InvalidDataException($"{key} has {rank} dimensions; a state dict has at most {MaxRank}");
            var shape = new long[rank];
            long bytes = elementSize;
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = ReadLength(state, ref position, $"the shape of {key}");
                // Sizes are bounded by the bytes left, so a huge size is reported, never multiplied into an overflow.
                if (shape[d] > state.Length || (bytes = bytes * Math.Max(shape[d], 1)) > state.Length)
                    throw new InvalidDataException($"{key} claims shape [{string.Join(", ", shape[..(d + 1)])}...], more than the file holds");
            }
            if (shape.Any(size => size == 0))
                bytes = 0;
            if (bytes > state.Length - position)
                throw new InvalidDataException($"it is truncated: it ends inside {key}");
            var dtype = (ScalarType)code;
            if (FirstNonFinite(dtype, state.Slice(position, (int)bytes)) is { } bad)
                throw new InvalidDataException($"{key}[{bad.Index}] is {bad.Value}: the weights are not finite (the run that saved them diverged)");
            position += (int)bytes;
            entries.Add(new StateEntry(key, dtype, shape));
        }
        if (position != state.Length)
            throw new InvalidDataException($"it has {state.Length - position:N0} bytes after its last tensor");
        return entries;
    }

    /// <summary>Bytes per element of the types TorchSharp's format can hold, by type code.</summary>
    private static readonly Dictionary<long, int> ElementSizes = new()
    {
        [(long)ScalarType.Byte] = 1, [(long)ScalarType.Int8] = 1, [(long)ScalarType.Int16] = 2,
        [(long)ScalarType.Int32] = 4, [(long)ScalarType.Int64] = 8, [(long)ScalarType.Float16] = 2,
        [(long)ScalarType.Float32] = 4, [(long)ScalarType.Float64] = 8, [(long)ScalarType.Bool] = 1,
        [(long)ScalarType.BFloat16] = 2,
    };

    private static (long Index, string Value)? FirstNonFinite(ScalarType dtype, ReadOnlySpan<byte> data)
    {
        switch (dtype)
        {
            case ScalarType.Float32:
                var floats = MemoryMarshal.Cast<byte, float>(data);
                for (var i = 0; i < floats.Length; i++)
                    if (!float.IsFinite(floats[i]))
                        return (i, floats[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            case ScalarType.Float64:
                var doubles = MemoryMarshal.Cast<byte, double>(data);
                for (var i = 0; i < doubles.Length; i++)
                    if (!double.IsFinite(doubles[i]))
                        return (i, doubles[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            case ScalarType.Float16:
                var halves = MemoryMarshal.Cast<byte, Half>(data);
                for (var i = 0; i < halves.Length; i++)
                    if (!Half.IsFinite(halves[i]))
                        return (i, halves[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            case ScalarType.BFloat16:
                var raw = MemoryMarshal.Cast<byte, ushort>(data);
                for (var i = 0; i < raw.Length; i++)
                    if ((raw[i] & 0x7F80) == 0x7F80) // exponent all ones: infinity or NaN
                        return (i, BitConverter.Int32BitsToSingle(raw[i] << 16).ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            default:
                return null;
        }
    }

    /// <summary>An unsigned LEB128 number (as .NET's Write7BitEncodedInt64 writes it), at most 2^62.</summary>
    private static long ReadLength(ReadOnlySpan<byte> state, ref int position, string what)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= state.Length)
                throw new InvalidDataException($"it is truncated: it ends inside {what}");
            if (shift > 56)
                throw new InvalidDataException($"{what} is not a valid number");
            var b = state[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                break;
        }
        return value > long.MaxValue / 2 ? throw new InvalidDataException($"{what} is {value}, far beyond any real size") : (long)value;
    }
}
