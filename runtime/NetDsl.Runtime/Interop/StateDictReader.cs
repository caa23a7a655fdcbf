using System.Collections;
using System.IO.Compression;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Interop;

/// <summary>
/// Reads a state dict written by PyTorch (<c>torch.save(model.state_dict())</c>) or as safetensors, with its
/// entries in the file's order. Only tensors are rebuilt: PyBridge's unpickler (Razorvine.Pickle) interprets
/// the pickle in .NET, calls no Python and constructs nothing but tensors, dictionaries and plain values, so a
/// pickle that would run code in Python fails here as an unreadable file.
/// </summary>
public static class StateDictReader
{
    /// <summary>Reads <paramref name="stream"/> as <paramref name="format"/>.</summary>
    /// <param name="stream">The file's content (left open; copied to memory first when it cannot seek).</param>
    /// <param name="format">PyTorch's or safetensors.</param>
    /// <param name="source">How messages name the file, e.g. its file name.</param>
    /// <exception cref="InteropFormatException">The stream is not a readable state dict of that format.</exception>
    public static StateDict Read(Stream stream, WeightFormat format, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var seekable = stream.CanSeek ? stream : Buffered(stream);
        using var scope = NewDisposeScope(); // tensors built before a failure are released with it
        try
        {
            var entries = format == WeightFormat.PyTorch ? ReadPyTorch(seekable, source) : ReadSafetensors(seekable, source);
            foreach (var entry in entries)
                entry.Tensor.MoveToOuterDisposeScope();
            return new StateDict(entries);
        }
        catch (InteropFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Zip, pickle, cast and libtorch errors of a damaged or hostile file: one line, the first of the cause.
            var kind = format == WeightFormat.PyTorch ? "PyTorch state dict" : "safetensors file";
            throw new InteropFormatException($"{source} is not a readable {kind}: {FirstLine(e.Message)}", e);
        }
    }

    private static List<NamedTensor> ReadPyTorch(Stream stream, string source)
    {
        Span<byte> signature = stackalloc byte[4];
        stream.Position = 0;
        if (stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false) < 4 || signature[0] != 'P' || signature[1] != 'K' || signature[2] != 3 || signature[3] != 4)
            throw new InteropFormatException($"{source} is not a PyTorch state dict: it is not the zip archive torch.save writes (PyTorch 1.6 and later)");

        IReadOnlyList<string> literals;
        stream.Position = 0;
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
        {
            var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                ?? throw new InteropFormatException($"{source} is not a PyTorch state dict: the archive has no data.pkl");
            using var pickle = new MemoryStream();
            using (var entry = pickleEntry.Open())
                entry.CopyTo(pickle);
            literals = PickleStrings.Read(pickle.ToArray());
        }

        stream.Position = 0;
        var table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < literals.Count; i++)
            firstSeen.TryAdd(literals[i], i);

        var entries = new List<(int Order, NamedTensor Entry)>();
        foreach (DictionaryEntry item in table)
        {
            if (item.Key is not string key)
                throw new InteropFormatException($"{source} is not a state dict: it has a key of type {item.Key.GetType().Name}, not a name");
            if (item.Value is not Tensor tensor)
                throw new InteropFormatException($"{source} is not a state dict: {key} holds {item.Value?.GetType().Name ?? "None"}, not a tensor");
            entries.Add((firstSeen.GetValueOrDefault(key, int.MaxValue), new NamedTensor(key, tensor)));
        }
        if (entries.Count == 0)
            throw new InteropFormatException($"{source} holds no tensors");
        return entries.OrderBy(e => e.Order).ThenBy(e => e.Entry.Key, StringComparer.Ordinal).Select(e => e.Entry).ToList();
    }

    private static List<NamedTensor> ReadSafetensors(Stream stream, string source)
    {
        // PyBridge trusts the header; check it first so a damaged file is refused with a reason.
        stream.Position = 0;
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new InteropFormatException($"{source} is not a safetensors file: it is shorter than the 8-byte header length");
        var headerLength = BitConverter.ToUInt64(prefix);
        if (headerLength == 0 || headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
            throw new InteropFormatException($"{source} is not a safetensors file: its header length {headerLength:N0} does not fit a file of {stream.Length:N0} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataLength = stream.Length - 8 - (long)headerLength;

        var order = new List<string>();
        using (var document = JsonDocument.Parse(header))
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InteropFormatException($"{source} is not a safetensors file: its header is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                CheckSafetensorsEntry(property, dataLength, source);
                order.Add(property.Name);
            }
        }
        if (order.Count == 0)
            throw new InteropFormatException($"{source} holds no tensors");

        stream.Position = 0;
        var tensors = Safetensors.LoadStateDict(stream, leaveOpen: true);
        return order.Select(key => new NamedTensor(key, tensors[key])).ToList();
    }

    private static readonly Dictionary<string, int> SafetensorsElementSizes = new()
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    private static void CheckSafetensorsEntry(JsonProperty property, long dataLength, string source)
    {
        string Bad(string why) => $"{source} is not a readable safetensors file: entry {property.Name} {why}";
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new InteropFormatException(Bad("lacks dtype, shape or data_offsets"));
        if (!SafetensorsElementSizes.TryGetValue(dtype.GetString()!, out var elementSize))
            throw new InteropFormatException(Bad($"has the unsupported dtype {dtype.GetString()}"));
        long count = 1;
        foreach (var size in shape.EnumerateArray())
        {
            if (!size.TryGetInt64(out var n) || n < 0 || (n > 0 && count > long.MaxValue / n))
                throw new InteropFormatException(Bad("has an invalid shape"));
            count *= n;
        }
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > dataLength)
            throw new InteropFormatException(Bad($"lies outside the file's {dataLength:N0} bytes of data (the file is truncated or corrupt)"));
        if (end - begin != count * elementSize)
            throw new InteropFormatException(Bad($"has {end - begin:N0} bytes for {count:N0} elements of {elementSize} bytes"));
    }

    private static MemoryStream Buffered(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    // The first sentence of the first line: the libraries' messages go on with advice meant for their own users.
    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        var sentenceEnd = line.IndexOf(". ", StringComparison.Ordinal);
        if (sentenceEnd > 0)
            line = line[..sentenceEnd];
        return line.Length == 0 ? "unreadable content" : line.TrimEnd('.');
    }
}
