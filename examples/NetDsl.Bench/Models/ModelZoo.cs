namespace NetDsl.Bench.Models;

/// <summary>The three architectures the issue names, with the reference parameter counts of examples/models.</summary>
public static class ModelZoo
{
    public static readonly ModelCase MobileNetV2 = new(
        "MobileNetV2", (3, 224, 224), 3_504_872,
        () => new HandWritten.MobileNetV2(),
        () => new Generated.MobileNetV2());

    public static readonly ModelCase CifarResNet18 = new(
        "CifarResNet18", (3, 32, 32), 11_173_962,
        () => new HandWritten.CifarResNet18(),
        () => new Generated.CifarResNet18());

    public static readonly ModelCase MultiPathNet = new(
        "MultiPathNet", (3, 32, 32), 1_291_090,
        () => new HandWritten.MultiPathNet(),
        () => new Generated.MultiPathNet());

    public static IReadOnlyList<ModelCase> All { get; } = [MobileNetV2, CifarResNet18, MultiPathNet];
}
