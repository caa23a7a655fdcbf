using System.Runtime.InteropServices;
using Google.Protobuf;
using NetDsl.Onnx.Protobuf;
using static TorchSharp.torch;

namespace NetDsl.Onnx;

/// <summary>
/// Collects the nodes and initializers of one ONNX graph: unique value names, weights stored once under
/// their state-dict keys, scalar and shape constants as <c>Constant</c> nodes (so that every initializer is
/// a state-dict entry), and attributes in the spec's encoding.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto graph = new();
    private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public GraphProto Graph => graph;

    /// <summary>The bytes of every weight written so far (each once).</summary>
    public long WeightBytes { get; private set; }

    public int InitializerCount => initializers.Count;

    /// <summary>Reserves <paramref name="name"/> (the graph's input) so no value takes it.</summary>
    public void Reserve(string name) => names.Add(name);

    /// <summary>A value name not used yet, based on <paramref name="hint"/>: the hint itself, or with <c>_2</c>, <c>_3</c>, ….</summary>
    public string UniqueName(string hint)
    {
        if (names.Add(hint))
            return hint;
        for (var i = 2; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (names.Add(candidate))
                return candidate;
        }
    }

    /// <summary>Adds a node with one output named after <paramref name="name"/>, and returns that output's name.</summary>
    public string Add(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = UniqueName(name);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a node with several outputs (<c>Split</c>), named <paramref name="name"/>_0, _1, ….</summary>
    public IReadOnlyList<string> AddMulti(string opType, string name, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(name) };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++)
            node.Output.Add(UniqueName($"{node.Name}_{i}"));
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return node.Output;
    }

    /// <summary>
    /// The initializer of the state-dict entry <paramref name="key"/>, holding <paramref name="tensor"/> as fp32;
    /// a key seen before is not stored again (a module used twice shares its weights).
    /// </summary>
    public string Weight(string key, Tensor tensor)
    {
        if (initializers.ContainsKey(key))
            return key;
        using var scope = NewDisposeScope();
        var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var data = values.data<float>().ToArray();
        var initializer = new TensorProto
        {
            Name = key,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(LittleEndian(data)),
        };
        initializer.Dims.AddRange(values.shape);
        initializers.Add(key, initializer);
        graph.Initializer.Add(initializer);
        names.Add(key);
        WeightBytes += initializer.RawData.Length;
        return key;
    }

    /// <summary>A <c>Constant</c> node holding a float scalar; equal constants are shared.</summary>
    public string Scalar(float value)
    {
        var key = "f:" + BitConverter.SingleToInt32Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (constants.TryGetValue(key, out var existing))
            return existing;
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(LittleEndian([value])) };
        return constants[key] = Add("Constant", $"const_{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", [], Attribute("value", tensor));
    }

    /// <summary>A <c>Constant</c> node holding a 1-D int64 tensor (shapes, split sizes, slice bounds); equal ones are shared.</summary>
    public string Int64s(string hint, params long[] values)
    {
        var key = "i:" + string.Join(",", values);
        if (constants.TryGetValue(key, out var existing))
            return existing;
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return constants[key] = Add("Constant", hint, [], Attribute("value", tensor));
    }

    /// <summary>A <c>Constant</c> node holding a 1-D float tensor (resize scales); equal ones are shared.</summary>
    public string Floats(string hint, params float[] values)
    {
        var key = "f[]:" + string.Join(",", values.Select(v => BitConverter.SingleToInt32Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (constants.TryGetValue(key, out var existing))
            return existing;
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(LittleEndian(values)) };
        tensor.Dims.Add(values.Length);
        return constants[key] = Add("Constant", hint, [], Attribute("value", tensor));
    }

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Attribute(string name, TensorProto value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    public static AttributeProto Attribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>
    /// Gives the graph's outputs their names (reserved beforehand): the last node's output is renamed when it is exactly
    /// one of <paramref name="outputs"/>; every other output is an <c>Identity</c> node (it is the input, was made
    /// earlier, or is named twice).
    /// </summary>
    public void NameOutputs(IReadOnlyList<(string Value, string Name)> outputs)
    {
        var last = graph.Node.Count > 0 ? graph.Node[^1] : null;
        string? renamed = null;
        if (last is not null && last.OpType != "Constant" && last.Output.Count == 1 && outputs.Count(o => o.Value == last.Output[0]) == 1)
        {
            renamed = last.Output[0];
            last.Output[0] = outputs.Single(o => o.Value == renamed).Name;
        }
        foreach (var (value, name) in outputs)
        {
            if (value == renamed)
                continue;
            var node = new NodeProto { OpType = "Identity", Name = UniqueName(name + "_identity") };
            node.Input.Add(value);
            node.Output.Add(name);
            graph.Node.Add(node);
        }
    }

    // ONNX raw_data is little-endian; so is every platform .NET and libtorch run on here, checked rather than assumed.
    private static ReadOnlySpan<byte> LittleEndian(float[] values)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        return MemoryMarshal.AsBytes(values.AsSpan());
    }
}
