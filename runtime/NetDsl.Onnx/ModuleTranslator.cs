using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using TorchSharp;
using TorchSharp.Modules;
using NetDsl.Onnx.Protobuf;
using static NetDsl.Onnx.OnnxGraphBuilder;
using ChannelShuffle = NetDsl.Runtime.ChannelShuffle;
using Parallel = NetDsl.Runtime.Parallel;
using Upsample = NetDsl.Runtime.Upsample;
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
        SequentialModule sequence => SingleFeature(sequence, path, TranslateGraph(sequence, path, [input])),
        Sequential => Children(module, path).Aggregate(input, (flow, child) => Translate(child.Module, child.Path, flow)),
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
        ConvTranspose2d conv => TransposedConvolution(conv, path, input),
        Upsample upsample => Upsampling(upsample, path, input),
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

    /// <summary>
    /// The steps of a module with named feature maps, run as its forward runs them: modules on each current feature (one
    /// set of weights, shared), blocks on the whole bundle, keeps and recalls moving values between the current features
    /// and the slots, merges and resizes; the result is the output slots' values, or the current features at the end.
    /// </summary>
    public IReadOnlyList<Flow> TranslateGraph(IFeatureGraph module, string path, IReadOnlyList<Flow> inputs)
    {
        var current = inputs.ToList();
        var slots = new Flow?[module.SlotCount];
        foreach (var step in module.Steps)
        {
            switch (step)
            {
                case ApplyStep apply:
                    current = current.Select(flow => Translate(apply.Module, Join(path, apply.Name), flow)).ToList();
                    break;
                case BlockStep block:
                    current = TranslateGraph(block.Block, Join(path, block.Name), current).ToList();
                    break;
                case KeepStep keep:
                    if (keep.Slots.Count != current.Count)
                        throw new OnnxExportException(path, $"a keep step names {keep.Slots.Count} slots but there are {current.Count} current features");
                    for (var i = 0; i < current.Count; i++)
                        slots[keep.Slots[i]] = current[i];
                    break;
                case RecallStep recall:
                    current = recall.Slots.Select(slot => Slot(slots, slot, path)).ToList();
                    break;
                case MergeStep merge:
                    current = [Merge(merge.Merge, Join(path, merge.Name), merge.Slots.Select(slot => Slot(slots, slot, path)).ToList())];
                    break;
                case ResizeStep resize:
                    var target = Slot(slots, resize.Slot, path).Sample;
                    current = current.Select(flow => ResizeTo(flow, target.size(2), target.size(3), resize.Bilinear, path)).ToList();
                    break;
                default:
                    throw new OnnxExportException(path, $"the step {step} has no ONNX export in NetDsl");
            }
        }
        return module.OutputSlots is null ? current : module.OutputSlots.Select(slot => Slot(slots, slot, path)).ToList();
    }

    private static Flow SingleFeature(SequentialModule sequence, string path, IReadOnlyList<Flow> outputs) => outputs.Count == 1
        ? outputs[0]
        : throw new OnnxExportException(path, $"{sequence.GetName()}'s steps end with {outputs.Count} features, not one");

    private static Flow Slot(Flow?[] slots, int slot, string path) =>
        slots[slot] ?? throw new OnnxExportException(path, $"slot {slot} is read before anything was kept in it");

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

    private Flow TransposedConvolution(ConvTranspose2d conv, string path, Flow input)
    {
        if (conv.padding is null || conv.padding_mode != PaddingModes.Zeros)
            throw new OnnxExportException(path, "only explicit zero padding is exported for transposed convolution");
        var inputs = new List<string> { input.Name, builder.Weight(Key(path, "weight"), conv.weight) };
        if (conv.bias is not null)
            inputs.Add(builder.Weight(Key(path, "bias"), conv.bias));
        var padding = conv.padding;
        // ONNX's weight layout is PyTorch's, [in, out / groups, kH, kW], and so is its output size with output_padding.
        var name = builder.Add("ConvTranspose", NodeName(path, "ConvTranspose"), inputs,
            Attribute("kernel_shape", conv.kernel_size),
            Attribute("strides", conv.stride),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("dilations", conv.dilation),
            Attribute("output_padding", conv.output_padding),
            Attribute("group", conv.groups));
        return new Flow(name, conv.call(input.Sample));
    }

    private Flow Upsampling(Upsample upsample, string path, Flow input)
    {
        var sample = upsample.call(input.Sample);
        if (!upsample.Bilinear)
            return Nearest(path, input, sample, upsample.call);
        var scale = (float)upsample.Scale;
        return Resize(path, input, builder.Floats("resize_scales", 1, 1, scale, scale), sizes: null, bilinear: true, sample);
    }

    /// <summary>A feature resized to <paramref name="height"/> x <paramref name="width"/> as <c>ResizeTo</c> does (nothing
    /// when it has that size already); bilinear is ONNX <c>Resize</c> (linear, half_pixel) to those sizes.</summary>
    private Flow ResizeTo(Flow input, long height, long width, bool bilinear, string path)
    {
        if (input.Sample.size(2) == height && input.Sample.size(3) == width)
            return input;
        Tensor Interpolate(Tensor x) => nn.functional.interpolate(x, [height, width], null,
            bilinear ? InterpolationMode.Bilinear : InterpolationMode.Nearest, bilinear ? false : null);
        var sample = Interpolate(input.Sample);
        return bilinear
            ? Resize(path, input, scales: null, sizes: ResizeSizes(path, input, height, width), bilinear: true, sample)
            : Nearest(path, input, sample, Interpolate);
    }

    /// <summary>
    /// Nearest-neighbour resizing as PyTorch does it. PyTorch reads source pixel <c>floor(x · (in / out))</c> with the
    /// ratio rounded to float, ONNX <c>Resize</c> (asymmetric, floor) <c>floor(x / (out / in))</c>; they agree for an
    /// integer factor as long as the float ratio does not round x·(1/s) below an integer (it does for s = 41, for one).
    /// So the pixels PyTorch picks are read from PyTorch itself, by resizing a ramp of indices with
    /// <paramref name="interpolate"/>: when they are <c>x / s</c> for an integer s on both axes, the node is <c>Resize</c>
    /// by those factors; otherwise it gathers exactly those rows and columns.
    /// </summary>
    private Flow Nearest(string path, Flow input, Tensor sample, Func<Tensor, Tensor> interpolate)
    {
        var (height, width) = (input.Sample.size(2), input.Sample.size(3));
        var (outputHeight, outputWidth) = (sample.size(2), sample.size(3));
        var rows = PickedIndices(interpolate, height, width, axis: 2);
        var columns = PickedIndices(interpolate, height, width, axis: 3);
        if (IsIntegerFactor(rows, height) && IsIntegerFactor(columns, width))
            return Resize(path, input, builder.Floats("resize_scales", 1, 1, outputHeight / height, outputWidth / width), null, bilinear: false, sample);
        var gatheredRows = builder.Add("Gather", NodeName(path, "Gather"), [input.Name, builder.Int64s("resize_rows", rows)], Attribute("axis", 2L));
        var name = builder.Add("Gather", NodeName(path, "Gather"), [gatheredRows, builder.Int64s("resize_columns", columns)], Attribute("axis", 3L));
        return new Flow(name, sample);
    }

    // The source index on axis 2 (rows) or 3 (columns) that interpolate reads for each output position.
    private static long[] PickedIndices(Func<Tensor, Tensor> interpolate, long height, long width, int axis)
    {
        using var scope = NewDisposeScope();
        var ramp = axis == 2
            ? arange(height, ScalarType.Float32).view(1, 1, height, 1).expand(1, 1, height, width).contiguous()
            : arange(width, ScalarType.Float32).view(1, 1, 1, width).expand(1, 1, height, width).contiguous();
        var picked = interpolate(ramp)[0, 0];
        var line = axis == 2 ? picked.select(1, 0) : picked.select(0, 0);
        return line.to(ScalarType.Int64).data<long>().ToArray();
    }

    private static bool IsIntegerFactor(long[] indices, long size)
    {
        if (indices.Length % size != 0)
            return false;
        var factor = indices.Length / size;
        return indices.Select((index, x) => index == x / factor).All(same => same);
    }

    // [N, C] of the input at run time (the batch is symbolic) followed by the target height and width.
    private string ResizeSizes(string path, Flow input, long height, long width)
    {
        var shape = builder.Add("Shape", NodeName(path, "Shape"), [input.Name]);
        var batchAndChannels = builder.Add("Slice", NodeName(path, "Slice"), [shape, builder.Int64s("zero", 0), builder.Int64s("two", 2)]);
        return builder.Add("Concat", NodeName(path, "Concat"), [batchAndChannels, builder.Int64s("resize_size", height, width)], Attribute("axis", 0L));
    }

    private Flow Resize(string path, Flow input, string? scales, string? sizes, bool bilinear, Tensor sample)
    {
        var attributes = bilinear
            ? new[] { Attribute("mode", "linear"), Attribute("coordinate_transformation_mode", "half_pixel") }
            : [Attribute("mode", "nearest"), Attribute("coordinate_transformation_mode", "asymmetric"), Attribute("nearest_mode", "floor")];
        // Resize's inputs are X, roi, scales, sizes; an empty name leaves an optional one out.
        var name = builder.Add("Resize", NodeName(path, "Resize"), [input.Name, "", scales ?? "", sizes ?? ""], attributes);
        return new Flow(name, sample);
    }

    private Flow Merge(nn.Module<IReadOnlyList<Tensor>, Tensor> merge, string path, IReadOnlyList<Flow> parts) => merge switch
    {
        FeatureSum => Sum(path, parts),
        FeatureConcat => Concat(path, parts),
        WeightedFusion fusion => Fusion(fusion, path, parts),
        _ => throw new OnnxExportException(path, $"{merge.GetType().FullName} has no ONNX export in NetDsl"),
    };

    // The forward's operations in its order: relu(weight) / (ε + Σ relu(weight)), split into one weight per input, each
    // input scaled by its weight, the products added left to right. The weight stays an initializer under its key.
    private Flow Fusion(WeightedFusion fusion, string path, IReadOnlyList<Flow> parts)
    {
        var weight = builder.Weight(Key(path, "weight"), fusion.Weight);
        var positive = builder.Add("Relu", NodeName(path, "Relu"), [weight]);
        var total = builder.Add("ReduceSum", NodeName(path, "ReduceSum"), [positive], Attribute("keepdims", 1L));
        var denominator = builder.Add("Add", NodeName(path, "Add"), [total, builder.Scalar((float)fusion.Epsilon)]);
        var normalized = builder.Add("Div", NodeName(path, "Div"), [positive, denominator]);
        var weights = builder.AddMulti("Split", NodeName(path, "Split"),
            [normalized, builder.Int64s("split_sizes", Enumerable.Repeat(1L, parts.Count).ToArray())], parts.Count, Attribute("axis", 0L));
        var samples = fusion.NormalizedWeights();
        var terms = parts.Select((part, i) =>
            new Flow(builder.Add("Mul", NodeName(path, "Mul"), [part.Name, weights[i]]), part.Sample.mul(samples[i]))).ToList();
        return Sum(path, terms);
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
