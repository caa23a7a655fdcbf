using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>One parameter or buffer of a module's state dict: its name, element type and shape.</summary>
public sealed record StateEntry(string Key, ScalarType DType, long[] Shape)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    public bool SameLayout(StateEntry other) => DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape);

    public override string ToString() => $"{Key} {DType} {ShapeText}";

    /// <summary>The entries of <paramref name="module"/>'s state dict, in its order.</summary>
    public static IReadOnlyList<StateEntry> Of(nn.Module module) =>
        module.state_dict().Select(kv => new StateEntry(kv.Key, kv.Value.dtype, kv.Value.shape)).ToList();

    /// <summary>
    /// The entries stored in a file written by TorchSharp's <c>Module.save</c>, read without loading the
    /// weights. That format is: LEB128 entry count, then per entry a .NET length-prefixed UTF-8 name,
    /// LEB128 dtype, LEB128 rank, LEB128 sizes, and the raw element bytes.
    /// </summary>
    public static IReadOnlyList<StateEntry> ReadFrom(string weightsPath)
    {
        using var stream = File.OpenRead(weightsPath);
        using var reader = new BinaryReader(stream);
        try
        {
            var count = reader.Read7BitEncodedInt64();
            var entries = new List<StateEntry>();
            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var dtype = (ScalarType)reader.Read7BitEncodedInt64();
                var shape = new long[reader.Read7BitEncodedInt64()];
                for (var d = 0; d < shape.Length; d++)
                    shape[d] = reader.Read7BitEncodedInt64();
                using var probe = empty(0, dtype: dtype);
                stream.Seek(shape.Aggregate(1L, (n, size) => n * size) * probe.ElementSize, SeekOrigin.Current);
                if (stream.Position > stream.Length)
                    throw new EndOfStreamException(); // seeking past the end does not fail by itself
                entries.Add(new StateEntry(key, dtype, shape));
            }
            if (stream.Position != stream.Length)
                throw new InvalidDataException(
                    $"{Path.GetFileName(weightsPath)} has {stream.Length - stream.Position:N0} bytes after its last tensor");
            return entries;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(weightsPath)} is truncated: it ends inside a tensor", e);
        }
    }
}
