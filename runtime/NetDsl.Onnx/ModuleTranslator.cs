using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;
using NetDsl.Onnx.Protobuf;
using static NetDsl.Onnx.OnnxGraphBuilder;
using ChannelShuffle = NetDsl.Runtime.ChannelShuffle;
using Parallel = NetDsl.Runtime.Parallel;
using static TorchSharp.torch;

namespace NetDsl.Onnx;

/// <summary>
/// Walks a module tree and emits the ONNX nodes of each module's forward. Alongside every ONNX value it
/// carries a sample tensor (batch 1) computed with the same operations in TorchSharp: it gives the shapes a
/// few ONNX operators need (channel shuffle's reshape), and at the end it must equal the module's own forward,
/// which proves the walk read every container the way its forward runs.
/// </summary>
/// <remarks>Weights are read from the module at their state-dict key (path + name), checked against the
/// module's own state dict, so initializer names are exactly the checkpoint's keys.</remarks>
internal sealed class ModuleTranslator(OnnxGraphBuilder builder, IReadOnlySet<string> stateDictKeys)
{
    /// <summary>An ONNX value and the TorchSharp tensor it holds for the sample input.</summary>
    public sealed record Flow(string Name, Tensor Sample);

    public Flow Translate(nn.Module<Tensor, Tensor> module, string path, Flow input) => module switch
    {
        SequentialModule or Sequential => Children(module, path).Aggregate(input, (flow, child) => Translate(child.Module, child.Path, flow)),
        Residual => ResidualBlock(module, path, input),
        Parallel parallel => ParallelBlock(parallel, path, input),
        ChannelSplit split => SplitBlock(split, path, input),
        DenseBlock => Dense(module, path, input),
        SqueezeExcite => Excite(module, path, input),
        CompConv2d compConv => CompConv(compConv, path, input),
        ChannelShuffle shuffle => Shuffle(shuffle, path, input),
        CReLU => ConcatenatedRelu(path, input),
        DropPath or Dropout or Identity => input,    // identity at inference
        Conv2d conv => Convolution(conv, path, input),
        BatchNorm2d norm => BatchNorm(norm, path, input),
        Linear linear => FullyConnected(linear, path, input),
        MaxPool2d pool => MaxPool(pool, path, input),
        AvgPool2d pool => AveragePool(pool, path, input),
        AdaptiveAvgPool2d pool => GlobalPool(pool.output_size, "GlobalAveragePool", path, input, x => x.mean([2, 3], keepdim: true)),
        AdaptiveMaxPool2d pool => GlobalPool(pool.output_size, "GlobalMaxPool", path, input, x => x.amax([2, 3], keepdim: true)),
        Flatten flatten => FlattenLayer(flatten, path, input),
        ReLU => Unary("Relu", path, input, x => x.relu()),
        ReLU6 => Clip(path, input, 0, 6),
        Hardswish => Unary("HardSwish", path, input, x => nn.functional.hardswish(x)),
        Hardsigmoid => Unary("HardSigmoid", path, input, x => nn.functional.hardsigmoid(x),
            Attribute("alpha", 1f / 6f), Attribute("beta", 0.5f)),   // PyTorch's relu6(x + 3) / 6
        Sigmoid => Unary("Sigmoid", path, input, x => x.sigmoid()),
        Tanh => Unary("Tanh", path, input, x => x.tanh()),
        SiLU => Swish(path, input),
        GELU gelu => Gelu(gelu, path, input),
        _ => throw new OnnxExportException(path, $"{module.GetType().FullName} has no ONNX export in NetDsl"),
    };

    private static IEnumerable<(string Path, nn.Module<Tensor, Tensor> Module)> Children(nn.Module module, string path) =>
        module.named_children().Select(child => (Join(path, child.name), AsTensorModule(child.module, Join(path, child.name))));

    private static nn.Module<Tensor, Tensor> Child(nn.Module module, string path, string name)
    {
        foreach (var (childName, child) in module.named_children())
        {
            if (childName == name)
                return AsTensorModule(child, Join(path, name));
        }
        throw new OnnxExportException(path, $"{module.GetType().Name} has no sub-module '{name}'");
    }

    private static nn.Module<Tensor, Tensor> AsTensorModule(nn.Module module, string path) =>
        module as nn.Module<Tensor, Tensor>
        ?? throw new OnnxExportException(path, $"{module.GetType().FullName} does not map one tensor to one tensor");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string NodeName(string path, string op) => path.Length == 0 ? op : $"{path}/{op}";

    private Flow ResidualBlock(nn.Module<Tensor, Tensor> residual, string path, Flow input)
    {
        var body = Translate(Child(residual, path, "body"), Join(path, "body"), input);
        var hasShortcut = residual.named_children().Any(c => c.name == "shortcut");
        var side = hasShortcut ? Translate(Child(residual, path, "shortcut"), Join(path, "shortcut"), input) : input;
        return Binary("Add", path, body, side, (a, b) => a.add(b));
    }

    private Flow ParallelBlock(Parallel parallel, string path, Flow input)
    {
        var outputs = Children(parallel, path).Select(child => Translate(child.Module, child.Path, input)).ToList();
        return parallel.Merge == ParallelMerge.Concat ? Concat(path, outputs) : Sum(path, outputs);
    }

    private Flow SplitBlock(ChannelSplit split, string path, Flow input)
    {
        var sizes = split.SplitSizes.ToArray();
        var names = builder.AddMulti("Split", NodeName(path, "Split"), [input.Name, builder.Int64s("split_sizes", sizes)],
            sizes.Length, Attribute("axis", 1L));
        var samples = input.Sample.split(sizes, 1);
        var parts = names.Select((name, i) => new Flow(name, samples[i])).ToList();
        var outputs = Children(split, path).Select((child, i) => Translate(child.Module, child.Path, parts[i])).ToList();
        return Concat(path, outputs);
    }

    private Flow Dense(nn.Module<Tensor, Tensor> block, string path, Flow input)
    {
        var features = new List<Flow> { input };
        foreach (var (childPath, layer) in Children(block, path))
            features.Add(Translate(layer, childPath, features.Count == 1 ? input : Concat(childPath + "/input", features)));
        return features.Count == 1 ? input : Concat(path, features);
    }

    private Flow Excite(nn.Module<Tensor, Tensor> block, string path, Flow input)
    {
        var flow = input;
        foreach (var step in new[] { "avgpool", "fc1", "activation", "fc2", "scale_activation" })
            flow = Translate(Child(block, path, step), Join(path, step), flow);
        return Binary("Mul", path, input, flow, (x, scale) => x.mul(scale));
    }

    private Flow CompConv(CompConv2d conv, string path, Flow input)
    {
        var unit = Translate(Child(conv, path, "seed"), Join(path, "seed"), input);
        if (conv.Depth == 0)
            return unit;
        var units = new List<Flow>();
        for (var i = 1; i <= conv.Depth; i++)
        {
            var expandPath = Join(path, $"expand{i}");
            var tail = Translate(Child(conv, path, $"expand{i}"), expandPath, unit);
            unit = Concat(expandPath + "/unit", [unit, tail]);
            units.Add(unit);
        }
        var joined = Concat(path, units);
        var shuffled = Translate(Child(conv, path, "shuffle"), Join(path, "shuffle"), joined);
        if (conv.ComputedChannels == conv.OutChannels)
            return shuffled;
        // Keep the first OutChannels channels: Slice(starts 0, ends out, axes 1).
        var name = builder.Add("Slice", NodeName(path, "Slice"),
            [shuffled.Name, builder.Int64s("zero", 0), builder.Int64s($"slice_end_{conv.OutChannels}", conv.OutChannels), builder.Int64s("axis_one", 1)]);
        return new Flow(name, shuffled.Sample.narrow(1, 0, conv.OutChannels));
    }

    private Flow Shuffle(ChannelShuffle shuffle, string path, Flow input)
    {
        var shape = input.Sample.shape;
        if (shape.Length != 4)
            throw new OnnxExportException(path, $"channel shuffle needs [N, C, H, W] features, got rank {shape.Length}");
        var (channels, height, width, groups) = (shape[1], shape[2], shape[3], shuffle.Groups);
        // [N, C, H, W] -> [N, g, C/g, H, W] -> swap the two channel axes -> [N, C, H, W]; 0 keeps the batch dimension.
        var grouped = builder.Add("Reshape", NodeName(path, "Reshape"),
            [input.Name, builder.Int64s("shape", 0, groups, channels / groups, height, width)]);
        var swapped = builder.Add("Transpose", NodeName(path, "Transpose"), [grouped], Attribute("perm", [0L, 2, 1, 3, 4]));
        var name = builder.Add("Reshape", NodeName(path, "Reshape"), [swapped, builder.Int64s("shape", 0, channels, height, width)]);
        return new Flow(name, shuffle.call(input.Sample));
    }

    private Flow ConcatenatedRelu(string path, Flow input)
    {
        var negated = Unary("Neg", path, input, x => x.neg());
        var both = Concat(path, [input, negated]);
        return Unary("Relu", path, both, x => x.relu());
    }

    private Flow Convolution(Conv2d conv, string path, Flow input)
    {
        if (conv.transposed)
            throw new OnnxExportException(path, "transposed convolution has no ONNX export in NetDsl");
        if (conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros)
            throw new OnnxExportException(path, "only explicit zero padding is exported (not 'same', 'valid' or non-zero padding modes)");
        var inputs = new List<string> { input.Name, builder.Weight(Key(path, "weight"), conv.weight!) };
        if (conv.bias is not null)
            inputs.Add(builder.Weight(Key(path, "bias"), conv.bias));
        var padding = conv.padding ?? [0, 0];
        var name = builder.Add("Conv", NodeName(path, "Conv"), inputs,
            Attribute("kernel_shape", conv.kernel_size),
            Attribute("strides", conv.stride),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("dilations", conv.dilation),
            Attribute("group", conv.groups));
        return new Flow(name, conv.call(input.Sample));
    }

    private Flow BatchNorm(BatchNorm2d norm, string path, Flow input)
    {
        if (norm.weight is null || norm.bias is null || norm.running_mean is null || norm.running_var is null)
            throw new OnnxExportException(path, "batch norm is exported with its affine parameters and running statistics; this one lacks some");
        var name = builder.Add("BatchNormalization", NodeName(path, "BatchNormalization"),
            [
                input.Name,
                builder.Weight(Key(path, "weight"), norm.weight),
                builder.Weight(Key(path, "bias"), norm.bias),
                builder.Weight(Key(path, "running_mean"), norm.running_mean),
                builder.Weight(Key(path, "running_var"), norm.running_var),
            ],
            Attribute("epsilon", (float)norm.eps));
        return new Flow(name, norm.call(input.Sample));
    }

    private Flow FullyConnected(Linear linear, string path, Flow input)
    {
        if (input.Sample.dim() != 2)
            throw new OnnxExportException(path, $"linear is exported on flat [N, features] inputs, got rank {input.Sample.dim()} (flatten first)");
        var inputs = new List<string> { input.Name, builder.Weight(Key(path, "weight"), linear.weight) };
        if (linear.bias is not null)
            inputs.Add(builder.Weight(Key(path, "bias"), linear.bias));
        var name = builder.Add("Gemm", NodeName(path, "Gemm"), inputs, Attribute("transB", 1L));
        return new Flow(name, linear.call(input.Sample));
    }

    private Flow MaxPool(MaxPool2d pool, string path, Flow input)
    {
        var kernel = pool.kernel_size;
        var padding = pool.padding ?? [0, 0];
        var name = builder.Add("MaxPool", NodeName(path, "MaxPool"), [input.Name],
            Attribute("kernel_shape", kernel),
            Attribute("strides", pool.stride ?? kernel),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("dilations", pool.dilation ?? [1, 1]),
            Attribute("ceil_mode", pool.ceil_mode ? 1L : 0L));
        return new Flow(name, pool.call(input.Sample));
    }

    private Flow AveragePool(AvgPool2d pool, string path, Flow input)
    {
        if (pool.divisor_override is not null)
            throw new OnnxExportException(path, "average pooling with a divisor override has no ONNX form");
        var kernel = pool.kernel_size;
        var padding = pool.padding ?? [0, 0];
        var name = builder.Add("AveragePool", NodeName(path, "AveragePool"), [input.Name],
            Attribute("kernel_shape", kernel),
            Attribute("strides", pool.stride ?? kernel),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("ceil_mode", pool.ceil_mode ? 1L : 0L),
            Attribute("count_include_pad", pool.count_include_pad ? 1L : 0L));
        return new Flow(name, pool.call(input.Sample));
    }

    private Flow GlobalPool(long[] outputSize, string op, string path, Flow input, Func<Tensor, Tensor> sample)
    {
        if (outputSize.Any(size => size != 1))
            throw new OnnxExportException(path, $"adaptive pooling is exported to an output of 1x1 only, not {string.Join("x", outputSize)}");
        return new Flow(builder.Add(op, NodeName(path, op), [input.Name]), sample(input.Sample));
    }

    private Flow FlattenLayer(Flatten flatten, string path, Flow input)
    {
        var rank = input.Sample.dim();
        if (flatten.start_dim != 1 || (flatten.end_dim != -1 && flatten.end_dim != rank - 1))
            throw new OnnxExportException(path, "flatten is exported from dimension 1 to the last only");
        return new Flow(builder.Add("Flatten", NodeName(path, "Flatten"), [input.Name], Attribute("axis", 1L)), flatten.call(input.Sample));
    }

    private Flow Clip(string path, Flow input, float min, float max) =>
        new(builder.Add("Clip", NodeName(path, "Clip"), [input.Name, builder.Scalar(min), builder.Scalar(max)]), input.Sample.clamp(min, max));

    private Flow Swish(string path, Flow input)
    {
        var gate = Unary("Sigmoid", path, input, x => x.sigmoid());
        return Binary("Mul", path, input, gate, (x, g) => x.mul(g));
    }

    // gelu(x) = x · Φ(x) = 0.5 · x · (1 + erf(x / √2)); opset 17 has no Gelu operator (it came in 20).
    private Flow Gelu(GELU gelu, string path, Flow input)
    {
        if (gelu.approximate != GELU.Approximate.none)
            throw new OnnxExportException(path, "only the exact (erf) GELU is exported, not the tanh approximation");
        var scaled = builder.Add("Div", NodeName(path, "Div"), [input.Name, builder.Scalar(MathF.Sqrt(2f))]);
        var erf = builder.Add("Erf", NodeName(path, "Erf"), [scaled]);
        var shifted = builder.Add("Add", NodeName(path, "Add"), [erf, builder.Scalar(1f)]);
        var product = builder.Add("Mul", NodeName(path, "Mul"), [input.Name, shifted]);
        var name = builder.Add("Mul", NodeName(path, "Mul"), [product, builder.Scalar(0.5f)]);
        return new Flow(name, gelu.call(input.Sample));
    }

    private Flow Unary(string op, string path, Flow input, Func<Tensor, Tensor> sample, params AttributeProto[] attributes) =>
        new(builder.Add(op, NodeName(path, op), [input.Name], attributes), sample(input.Sample));

    private Flow Binary(string op, string path, Flow left, Flow right, Func<Tensor, Tensor, Tensor> sample) =>
        new(builder.Add(op, NodeName(path, op), [left.Name, right.Name]), sample(left.Sample, right.Sample));

    private Flow Concat(string path, IReadOnlyList<Flow> parts) => parts.Count == 1
        ? parts[0]
        : new(builder.Add("Concat", NodeName(path, "Concat"), parts.Select(p => p.Name), Attribute("axis", 1L)),
            cat(parts.Select(p => p.Sample).ToArray(), 1));

    // Left to right, as Parallel's forward adds (floating-point sums depend on the order).
    private Flow Sum(string path, IReadOnlyList<Flow> parts) =>
        parts.Skip(1).Aggregate(parts[0], (sum, next) => Binary("Add", path, sum, next, (a, b) => a.add(b)));

    private string Key(string path, string name)
    {
        var key = Join(path, name);
        if (!stateDictKeys.Contains(key))
            throw new OnnxExportException(path, $"'{key}' is not a key of the network's state dict, so the walk lost its way");
        return key;
    }
}
