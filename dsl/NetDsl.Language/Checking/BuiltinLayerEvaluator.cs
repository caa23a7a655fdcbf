using System;
using NetDsl.Costs;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// One built-in layer use: reads its arguments, checks it against the incoming features, and adds its
    /// summary row(s) with the output shape, parameters and MACs of <see cref="CostModel"/>.
    /// </summary>
    internal sealed class BuiltinLayerEvaluator
    {
        private readonly ExpressionEvaluator evaluator;

        public BuiltinLayerEvaluator(ExpressionEvaluator evaluator) => this.evaluator = evaluator;

        private EvaluationContext Context => evaluator.Context;

        /// <summary>Everything one layer evaluation needs, so the per-kind methods stay short.</summary>
        private sealed class Use
        {
            public Use(LayerStatement statement, string name, FeatureShape? input, Frame frame, Sequence sequence, LayerArguments arguments)
            {
                Statement = statement;
                Name = name;
                Input = input;
                Frame = frame;
                Sequence = sequence;
                Arguments = arguments;
            }

            public LayerStatement Statement { get; }
            public string Name { get; }
            public FeatureShape? Input { get; }
            public Frame Frame { get; }
            public Sequence Sequence { get; }
            public LayerArguments Arguments { get; }
            public string Path { get; set; } = "";
            public SourceLocation Location => SourceLocation.From(Frame.Source, Statement.Span);
        }

        public FeatureShape? Evaluate(LayerStatement statement, BuiltinLayerKind kind, string name, FeatureShape? input, Frame frame, Sequence sequence)
        {
            var arguments = new LayerArguments(name, Context.Bindings.ArgumentsOf(statement), evaluator, frame);
            var use = new Use(statement, name, input, frame, sequence, arguments) { Path = sequence.Next(statement.Label, frame, Context) };
            return kind switch
            {
                BuiltinLayerKind.Conv => Convolution(use, depthwise: false),
                BuiltinLayerKind.DepthwiseConv => Convolution(use, depthwise: true),
                BuiltinLayerKind.CompConv => CompConv(use),
                BuiltinLayerKind.Linear => Linear(use),
                BuiltinLayerKind.BatchNorm => BatchNorm(use),
                BuiltinLayerKind.CReLU => Simple(use, input is null ? null : input with { Channels = input.Channels * 2 }, "crelu"),
                BuiltinLayerKind.MaxPool or BuiltinLayerKind.AvgPool => Pooling(use),
                BuiltinLayerKind.Flatten => Simple(use, input is null ? null : FeatureShape.Flat(input.IsFlat ? input.Channels : input.Channels * input.Height * input.Width), "flatten"),
                BuiltinLayerKind.Dropout or BuiltinLayerKind.DropPath => Dropout(use, kind == BuiltinLayerKind.DropPath),
                BuiltinLayerKind.Shuffle => Shuffle(use),
                BuiltinLayerKind.SqueezeExcite => SqueezeExcite(use),
                BuiltinLayerKind.TransposedConv => TransposedConvolution(use),
                BuiltinLayerKind.Upsample => Upsample(use),
                _ => Simple(use, input, name),
            };
        }

        /// <summary>An activation (also one held by a variable): same shape, no cost.</summary>
        public FeatureShape? Activation(LayerStatement statement, string activation, FeatureShape? input, Frame frame, Sequence sequence)
        {
            var use = new Use(statement, activation, input, frame, sequence, new LayerArguments(activation, null, evaluator, frame))
            {
                Path = sequence.Next(statement.Label, frame, Context),
            };
            return Simple(use, input, activation);
        }

        private FeatureShape? Convolution(Use use, bool depthwise)
        {
            var a = use.Arguments;
            long? inChannels = use.Input?.Channels;
            var layer = LayerCatalogue.Layers[use.Name];
            long? outChannels = depthwise ? a.Channels("out", inChannels) : a.Channels("out", null);
            long? kernel = a.Positive("k", layer["k"].IntValue);
            long? stride = a.Positive("s", layer["s"].IntValue);
            long? dilation = a.Positive("dilation", layer["dilation"].IntValue);
            long? pad = kernel is { } k && dilation is { } d ? a.NonNegative("pad", ShapeRules.DefaultPadding(k, d)) : null;
            long? groups = depthwise ? inChannels : a.Positive("groups", layer["groups"].IntValue);
            bool? bias = a.Bool("bias", Context.Model.GetAutoBias(use.Statement) ?? true);
            if (!a.Valid && a.OnlyGuessesFailed && a.Guessed.TryGetValue("out", out long nearest) && use.Input is { IsFlat: false } guessedInput
                && kernel is { } size && stride is { } st && pad is { } p && dilation is { } dl)
                return BestEffort(use, use.Name, ConvolutionGuess(guessedInput, nearest, size, st, p, dl));
            if (!a.Valid || !RequireSpatial(use) || use.Input is not { } input || outChannels is not { } cout || groups is not { } g)
                return Unknown(use, use.Name);

            if (depthwise && cout % input.Channels != 0)
            {
                Context.Report(DiagnosticCatalog.DepthwiseOutNotMultiple, use.Frame.Source, a.ExpressionOf("out")?.Span ?? use.Statement.Name.Span, cout, input.Channels);
                return BestEffort(use, use.Name, ConvolutionGuess(input, cout, kernel!.Value, stride!.Value, pad!.Value, dilation!.Value));
            }
            if (!depthwise && !GroupsDivide(use, g, input.Channels, cout))
                return BestEffort(use, use.Name, ConvolutionGuess(input, cout, kernel!.Value, stride!.Value, pad!.Value, dilation!.Value));

            var output = SpatialOutput(use, input, cout, kernel!.Value, stride!.Value, pad!.Value, dilation!.Value, $"{use.Name} {kernel}x{kernel}{Stride(stride.Value)}");
            if (output is null)
                return Unknown(use, use.Name);
            var cost = CostModel.Convolution(input.Channels, cout, kernel.Value, g, bias!.Value, output.Height, output.Width);
            string description = depthwise
                ? $"dwconv {kernel}x{kernel}{Stride(stride.Value)}" + (cout != input.Channels ? $", {cout}" : "")
                : $"conv {kernel}x{kernel}{Stride(stride.Value)}, {cout}" + (g != 1 ? $", groups {g}" : "");
            if (dilation != 1)
                description += $", dilation {dilation}";
            return Row(use, use.Name, description, output, cost);
        }

        private FeatureShape? TransposedConvolution(Use use)
        {
            var a = use.Arguments;
            var layer = LayerCatalogue.Layers["deconv"];
            long? outChannels = a.Channels("out", null);
            long? kernel = a.Positive("k", layer["k"].IntValue);
            long? stride = a.Positive("s", kernel);
            long? pad = a.NonNegative("pad", layer["pad"].IntValue);
            bool? bias = a.Bool("bias", Context.Model.GetAutoBias(use.Statement) ?? true);
            if (!a.Valid || !RequireSpatial(use) || use.Input is not { } input || outChannels is not { } cout)
                return Unknown(use, "deconv");
            long height = ShapeRules.TransposedConvolution(input.Height, kernel!.Value, stride!.Value, pad!.Value);
            long width = ShapeRules.TransposedConvolution(input.Width, kernel.Value, stride.Value, pad.Value);
            string what = $"deconv {kernel}x{kernel}{Stride(stride.Value)}";
            var output = CheckSpatial(use, input, FeatureShape.Spatial(cout, height, width), what);
            if (output is null)
                return Unknown(use, "deconv");
            var cost = CostModel.TransposedConvolution(input.Channels, cout, kernel.Value, bias!.Value, input.Height, input.Width);
            return Row(use, "deconv", $"{what}, {cout}", output, cost);
        }

        private FeatureShape? Upsample(Use use)
        {
            var layer = LayerCatalogue.Layers["upsample"];
            long? scale = use.Arguments.Positive("scale", layer["scale"].IntValue);
            bool? bilinear = use.Arguments.Bool("bilinear", layer["bilinear"].BoolValue);
            if (!use.Arguments.Valid || !RequireSpatial(use) || use.Input is not { } input)
                return Unknown(use, "upsample");
            var output = CheckSpatial(use, input, input with { Height = input.Height * scale!.Value, Width = input.Width * scale.Value }, "upsample");
            if (output is null)
                return Unknown(use, "upsample");
            return Row(use, "upsample", $"upsample x{scale}" + (bilinear == true ? ", bilinear" : ""), output, LayerCost.Zero);
        }

        private bool GroupsDivide(Use use, long groups, long inChannels, long outChannels)
        {
            var at = use.Arguments.ExpressionOf("groups")?.Span ?? use.Statement.Name.Span;
            if (inChannels % groups != 0)
            {
                Context.Report(DiagnosticCatalog.GroupsDoNotDivide, use.Frame.Source, at, groups, inChannels, "input", use.Name);
                return false;
            }
            if (outChannels % groups != 0)
            {
                Context.Report(DiagnosticCatalog.GroupsDoNotDivide, use.Frame.Source, at, groups, outChannels, "output", use.Name);
                return false;
            }
            return true;
        }

        private FeatureShape? CompConv(Use use)
        {
            var a = use.Arguments;
            var layer = LayerCatalogue.Layers["compconv"];
            long? outChannels = a.Channels("out", null);
            long? kernel = a.Positive("k", layer["k"].IntValue);
            long? stride = a.Positive("s", layer["s"].IntValue);
            long? depthArgument = a.Int("d", null);
            long? c0 = a.Positive("c0", layer["c0"].IntValue);
            if (depthArgument is { } given && (given < 0 || given > 3))
            {
                Context.Report(DiagnosticCatalog.CompConvDepth, use.Frame.Source, a.ExpressionOf("d")!.Span, given);
                return Unknown(use, "compconv");
            }
            if (!a.Valid || !RequireSpatial(use) || use.Input is not { } input || outChannels is not { } cout)
                return Unknown(use, "compconv");

            int depth = depthArgument is { } d ? (int)d : CostModel.CompConvDepth(input.Channels, c0!.Value);
            var output = SpatialOutput(use, input, cout, kernel!.Value, stride!.Value, kernel.Value / 2, 1, $"compconv {kernel}x{kernel}{Stride(stride.Value)}");
            if (output is null)
                return Unknown(use, "compconv");
            var cost = CostModel.CompConv(input.Channels, cout, kernel.Value, depth, output.Height, output.Width);
            var location = use.Location;
            if (depth == 0)
                return Row(use, "compconv", $"compconv {kernel}x{kernel}{Stride(stride.Value)}, {cout}, d 0", output, cost);

            int index = use.Sequence.Reserve();
            var inner = use.Sequence.Child(use.Path);
            long unit = CostModel.CompConvUnit(cout, depth);
            inner.Add(new LayerReport(inner.Qualify(layer.Children[0]), "conv", $"conv {kernel}x{kernel}{Stride(stride.Value)}, {unit}", output with { Channels = unit },
                input.Channels * unit * kernel.Value * kernel.Value, input.Channels * unit * kernel.Value * kernel.Value * output.Height * output.Width, inner.Depth, location));
            for (int i = 1; i <= depth; i++)
            {
                long width = unit << (i - 1);
                long weights = width * width * kernel.Value * kernel.Value;
                inner.Add(new LayerReport(inner.Qualify($"{layer.Children[1]}{i}"), "conv", $"conv {kernel}x{kernel}, {width}", output with { Channels = width },
                    weights, weights * output.Height * output.Width, inner.Depth, location));
            }
            Context.CountLayer();
            use.Sequence.Complete(index, use.Path, "compconv", LayerStructure.Composite, $"compconv {kernel}x{kernel}{Stride(stride.Value)}, {cout}, d {depth}", output, location);
            return output;
        }

        private FeatureShape? Linear(Use use)
        {
            var a = use.Arguments;
            long? outFeatures = a.Channels("out", null);
            bool? bias = a.Bool("bias", LayerCatalogue.Layers["linear"]["bias"].BoolValue);
            if (use.Input is { IsFlat: false } spatial)
            {
                Context.Report(DiagnosticCatalog.WrongRank, use.Frame.Source, use.Statement.Name.Span,
                    $"linear needs flat features; add flatten (features are {spatial})");
                return BestEffort(use, "linear", outFeatures is { } guessed ? FeatureShape.Flat(guessed) : null);
            }
            if (!a.Valid && a.OnlyGuessesFailed && a.Guessed.TryGetValue("out", out long nearest) && use.Input is { IsFlat: true })
                return BestEffort(use, "linear", FeatureShape.Flat(nearest));
            if (!a.Valid || use.Input is not { } input || outFeatures is not { } cout)
                return Unknown(use, "linear");
            return Row(use, "linear", $"linear {cout}", FeatureShape.Flat(cout), CostModel.Linear(input.Channels, cout, bias!.Value));
        }

        private FeatureShape? BatchNorm(Use use)
        {
            var layer = LayerCatalogue.Layers["bn"];
            use.Arguments.Float("eps", layer["eps"].FloatValue);
            use.Arguments.Float("momentum", layer["momentum"].FloatValue);
            if (!use.Arguments.Valid || use.Input is not { } input)
                return Unknown(use, "bn");
            return Row(use, "bn", "bn", input, CostModel.BatchNorm(input.Channels));
        }

        private FeatureShape? Pooling(Use use)
        {
            var a = use.Arguments;
            string name = use.Name;
            var layer = LayerCatalogue.Layers[name];
            if (layer.IsGlobalPooling(a.GivenNames))
            {
                foreach (var other in new[] { "s", "pad", "ceil" })
                {
                    a.Int(other, null);
                    if (a.ExpressionOf(other) is { } ignored)
                        Context.Report(DiagnosticCatalog.GlobalPoolingIgnoresArgument, use.Frame.Source, ignored.Span, name, other);
                }
                if (!RequireSpatial(use) || use.Input is not { } whole)
                    return Unknown(use, name);
                return Row(use, name, $"{name} (global)", whole with { Height = 1, Width = 1 }, LayerCost.Zero);
            }
            long? kernel = a.Positive("k", null);
            long? stride = a.Positive("s", kernel);
            long? pad = a.NonNegative("pad", layer["pad"].IntValue);
            bool? ceil = a.Bool("ceil", layer["ceil"].BoolValue);
            if (!a.Valid || !RequireSpatial(use) || use.Input is not { } input)
                return Unknown(use, name);
            if (pad!.Value * 2 > kernel!.Value)
            {
                Context.Report(DiagnosticCatalog.PoolPaddingTooLarge, use.Frame.Source, a.ExpressionOf("pad")!.Span, name, pad.Value, kernel.Value);
                return Unknown(use, name);
            }
            long height = ShapeRules.Pooling(input.Height, kernel.Value, stride!.Value, pad.Value, ceil!.Value);
            long width = ShapeRules.Pooling(input.Width, kernel.Value, stride.Value, pad.Value, ceil.Value);
            var output = CheckSpatial(use, input, input with { Height = height, Width = width }, $"{name} {kernel}x{kernel}{Stride(stride.Value)}");
            if (output is null)
                return Unknown(use, name);
            return Row(use, name, $"{name} {kernel}x{kernel}{Stride(stride.Value)}", output, LayerCost.Zero);
        }

        private FeatureShape? Dropout(Use use, bool dropPath)
        {
            string name = dropPath ? "droppath" : "dropout";
            // droppath's p is required (the binder reports it missing); the fallback only keeps a row.
            double? p = use.Arguments.Float("p", LayerCatalogue.Layers["dropout"]["p"].FloatValue);
            if (p is { } probability && (probability < 0 || probability > 1))
            {
                Context.Report(DiagnosticCatalog.ProbabilityRange, use.Frame.Source, use.Arguments.ExpressionOf("p")!.Span, name, FloatValue.Format(probability));
                return BestEffort(use, name, use.Input);
            }
            if (!use.Arguments.Valid || use.Input is not { } input)
                return Unknown(use, name);
            return Row(use, name, $"{name} {FloatValue.Format(p!.Value)}", input, LayerCost.Zero);
        }

        private FeatureShape? Shuffle(Use use)
        {
            long? groups = use.Arguments.Positive("groups", null);
            if (!use.Arguments.Valid || !RequireSpatial(use) || use.Input is not { } input || groups is not { } g)
                return Unknown(use, "shuffle");
            if (input.Channels % g != 0)
            {
                Context.Report(DiagnosticCatalog.ShuffleGroups, use.Frame.Source, use.Arguments.ExpressionOf("groups")!.Span, g, input.Channels);
                return BestEffort(use, "shuffle", input);
            }
            return Row(use, "shuffle", $"shuffle {g}", input, LayerCost.Zero);
        }

        private FeatureShape? SqueezeExcite(Use use)
        {
            var a = use.Arguments;
            var layer = LayerCatalogue.Layers["se"];
            long? reduce = a.Positive("reduce", layer["reduce"].IntValue);
            long? squeezeArgument = a.Has("squeeze") ? a.Channels("squeeze", null) : null;
            string? act = a.Activation("act", layer["act"].ActivationValue);
            string? gate = a.Activation("gate", layer["gate"].ActivationValue);
            if (!a.Valid || !RequireSpatial(use) || use.Input is not { } input)
                return Unknown(use, "se");
            long squeeze = squeezeArgument ?? Math.Max(1, input.Channels / reduce!.Value);
            var location = use.Location;
            int index = use.Sequence.Reserve();
            var inner = use.Sequence.Child(use.Path);
            var pooled = input with { Height = 1, Width = 1 };
            inner.Add(new LayerReport(inner.Qualify(layer.Children[0]), "conv", $"conv 1x1, {squeeze}", pooled with { Channels = squeeze },
                input.Channels * squeeze + squeeze, input.Channels * squeeze, inner.Depth, location));
            inner.Add(new LayerReport(inner.Qualify(layer.Children[1]), "conv", $"conv 1x1, {input.Channels}", pooled,
                squeeze * input.Channels + input.Channels, squeeze * input.Channels, inner.Depth, location));
            Context.CountLayer();
            string activations = act == layer["act"].ActivationValue && gate == layer["gate"].ActivationValue ? "" : $", {act}/{gate}";
            use.Sequence.Complete(index, use.Path, "se", LayerStructure.Composite, $"se {squeeze}{activations}", input, location);
            return input;
        }

        private FeatureShape? Simple(Use use, FeatureShape? output, string kind) =>
            output is null ? Unknown(use, kind) : Row(use, kind, kind, output, LayerCost.Zero);

        private bool RequireSpatial(Use use)
        {
            if (use.Input is not { IsFlat: true } flat)
                return true;
            Context.Report(DiagnosticCatalog.WrongRank, use.Frame.Source, use.Statement.Name.Span,
                $"{use.Name} needs CxHxW features, but they are flat ({flat.Channels} features after flatten)");
            return false;
        }

        private FeatureShape? SpatialOutput(Use use, FeatureShape input, long channels, long kernel, long stride, long pad, long dilation, string what)
        {
            long height = ShapeRules.Convolution(input.Height, kernel, stride, pad, dilation);
            long width = ShapeRules.Convolution(input.Width, kernel, stride, pad, dilation);
            return CheckSpatial(use, input, FeatureShape.Spatial(channels, height, width), what);
        }

        private FeatureShape? CheckSpatial(Use use, FeatureShape input, FeatureShape output, string what)
        {
            if (output.Height < 1 || output.Width < 1)
            {
                string shown = $"{Math.Max(0, output.Height)}x{Math.Max(0, output.Width)}";
                Context.Report(DiagnosticCatalog.SpatialTooSmall, use.Frame.Source, use.Statement.Span, what, input.SpatialText, shown);
                return null;
            }
            if (output.Height > EvaluationContext.MaxSpatial || output.Width > EvaluationContext.MaxSpatial)
            {
                Context.Report(DiagnosticCatalog.SpatialTooLarge, use.Frame.Source, use.Statement.Span, output.SpatialText);
                return null;
            }
            return output;
        }

        private static string Stride(long stride) => stride == 1 ? "" : $"/{stride}";

        private FeatureShape? Row(Use use, string kind, string description, FeatureShape output, LayerCost cost)
        {
            if (output.Channels > EvaluationContext.MaxChannels && !output.IsFlat)
            {
                Context.Report(DiagnosticCatalog.TooManyChannels, use.Frame.Source, use.Statement.Span, output.Channels);
                return Unknown(use, kind);
            }
            Context.CountLayer();
            use.Sequence.Add(new LayerReport(use.Path, kind, description, output, cost.Parameters, cost.Macs, use.Sequence.Depth, use.Location));
            return output;
        }

        /// <summary>
        /// After an error whose cause leaves the output's shape clear (groups that do not divide, linear on unflattened
        /// features, a shuffle's groups, a dropout's probability, a channel count that is not whole, taken as the nearest
        /// whole one): the layer's row is unknown, as after any error, but the
        /// statements after it go on with <paramref name="guess"/>, so an independent later mistake is reported in the same
        /// pass. The network's report then has no output (<see cref="NetworkEvaluator"/>).
        /// </summary>
        private FeatureShape? BestEffort(Use use, string kind, FeatureShape? guess)
        {
            Unknown(use, kind);
            return guess;
        }

        /// <summary>A convolution's output as if it were valid; a size below 1 stays unknown rather than be made up.</summary>
        private static FeatureShape? ConvolutionGuess(FeatureShape input, long channels, long kernel, long stride, long pad, long dilation)
        {
            long height = ShapeRules.Convolution(input.Height, kernel, stride, pad, dilation);
            long width = ShapeRules.Convolution(input.Width, kernel, stride, pad, dilation);
            return height < 1 || width < 1 ? null : FeatureShape.Spatial(channels, height, width);
        }

        /// <summary>A row for a layer whose output is unknown after an error, so numbering and the table stay complete.</summary>
        private FeatureShape? Unknown(Use use, string kind)
        {
            Context.CountLayer();
            use.Sequence.Add(new LayerReport(use.Path, kind, kind, null, 0, 0, use.Sequence.Depth, use.Location));
            return null;
        }
    }
}
