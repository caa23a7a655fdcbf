using NetDsl.Runtime;
using static TorchSharp.torch;
using Models = NetDsl.Examples.Models;
using ZooTable = NetDsl.Zoo.Tests.Zoo;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// The zoo's graph networks (<see cref="ZooTable.GraphFactories"/>: detection and segmentation networks with several
/// named outputs or one full-resolution map) as the ONNX tests build them: the generated classes with their default
/// arguments, built for a smaller input than declared where the declared one costs too much for a 2-core CI machine
/// (through the protected constructor that variants use: the same modules, weights and steps, smaller feature maps).
/// They are exported and run at batch 1 only (<see cref="Batches"/>).
/// </summary>
public static class GraphZooNetworks
{
    public static readonly int[] Batches = [1];

    /// <summary>By zoo name; <see cref="ExportedNetworks"/> fails for a graph zoo network missing here.</summary>
    public static readonly IReadOnlyDictionary<string, Func<nn.Module>> Factories = new Dictionary<string, Func<nn.Module>>
    {
        // 3x512x512 declared (2.5 G MACs); at 256x256 the levels P3..P7 are 32x32 .. 2x2.
        ["EfficientDetD0"] = () => new EfficientDetD0At(new FeatureShape(3, 256, 256)),
        // 3x224x224 declared (4.4 G MACs); at 3x100x100 the stages are 25, 13, 7 and 4 pixels wide, so the nearest
        // top-down resizes (4 -> 7, 7 -> 13, 13 -> 25) are not by integer factors, as they are at 224.
        ["ResNet18FPN"] = () => new ResNet18FPNAt(new FeatureShape(3, 100, 100)),
        // 1x256x256 declared (48 G MACs); at 1x64x64 the bottom level is 4x4.
        ["UNet"] = () => new UNetAt(new FeatureShape(1, 64, 64)),
    };

    private sealed class EfficientDetD0At(FeatureShape input) : Models.EfficientDetD0(input, classes: 90, anchors: 9, width: 64, layers: 3);

    private sealed class ResNet18FPNAt(FeatureShape input) : Models.ResNet18FPN(input, width: 256);

    private sealed class UNetAt(FeatureShape input) : Models.UNet(input, classes: 2);
}
