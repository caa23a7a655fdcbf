using System.Globalization;
using NetDsl.Bench.Harness;
using NetDsl.Bench.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.PyTorch;

/// <summary>One network timed in NetDsl (the generated zoo module) and in PyTorch eager (torchvision's, or the emitted PyTorch code's).</summary>
/// <param name="Forward">PyTorch is the baseline: the ratio is NetDsl / PyTorch.</param>
public sealed record YardstickResult(string Model, string InputText, long NetDslParameters, long PyTorchParameters,
    PairedTiming Forward, PairedTiming ForwardBackward);

/// <summary>
/// NetDsl against PyTorch eager on the same networks: same batch, input size, thread count and calls (eval under
/// no_grad for forward; train mode, cross-entropy, backward, zero_grad for forward+backward), NetDsl and PyTorch
/// rounds alternating (<see cref="PairedTimer"/>). Weights are random on both sides: the time of these kernels does
/// not depend on the values, and the parameter counts are checked equal.
/// </summary>
public sealed class PyTorchYardstick(BenchOptions options, PyTorchProcess python)
{
    /// <summary>
    /// The zoo networks timed on both sides: in PyTorch, torchvision's module where it has one (MobileNetV2, ResNet18),
    /// else the class `netdsl emit --target pytorch` printed from the same .nn file. MultiPathNet_Digits is the main
    /// program's training network: its forward+backward row is the training throughput on the same batches.
    /// </summary>
    public static IReadOnlyList<(string Name, (long C, long H, long W) Input, Func<nn.Module<Tensor, Tensor>> Create)> Networks { get; } =
    [
        ("MobileNetV2", (3, 224, 224), () => new Generated.MobileNetV2()),
        ("ResNet18", (3, 224, 224), () => new Generated.ResNet18()),
        ("CifarResNet18", (3, 32, 32), () => new Generated.CifarResNet18()),
        ("MultiPathNet", (3, 32, 32), () => new Generated.MultiPathNet()),
        ("MultiPathNet_Digits", (1, 28, 28), () => new Generated.MultiPathNet_Digits()),
    ];

    public YardstickResult Run(string name, (long C, long H, long W) shape, Func<nn.Module<Tensor, Tensor>> create)
    {
        using var module = create();
        var parameters = WeightTransfer.CountParameters(module);
        var pytorchParameters = python.Request(string.Create(CultureInfo.InvariantCulture,
            $"load {name} {ModelBenchmark.BatchSize} {shape.C} {shape.H} {shape.W}")).GetProperty("parameters").GetInt64();

        manual_seed(2024);
        using var input = randn(ModelBenchmark.BatchSize, shape.C, shape.H, shape.W);
        using var targets = randint(0, 10, ModelBenchmark.BatchSize, dtype: ScalarType.Int64);

        module.eval();
        PairedTiming forward;
        using (no_grad())
        {
            forward = PairedTimer.Measure(
                calls => python.Time(name, "forward", calls),
                calls => PairedTimer.TimePerCall(() => ModelBenchmark.Forward(module, input), calls),
                options.PlanFor(() => ModelBenchmark.Forward(module, input)));
        }
        module.train();
        var forwardBackward = PairedTimer.Measure(
            calls => python.Time(name, "train", calls),
            calls => PairedTimer.TimePerCall(() => ModelBenchmark.ForwardBackward(module, input, targets), calls),
            options.PlanFor(() => ModelBenchmark.ForwardBackward(module, input, targets)));
        return new YardstickResult(name, $"{shape.C}x{shape.H}x{shape.W}", parameters, pytorchParameters, forward, forwardBackward);
    }
}
