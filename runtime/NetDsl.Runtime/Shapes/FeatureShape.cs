namespace NetDsl.Runtime;

/// <summary>
/// The shape of one sample's feature map, without the batch dimension: channels × height × width, as in
/// a <c>.nn</c> file's <c>input 3x224x224</c>. The tensor a block sees is <c>[N, Channels, Height, Width]</c>.
/// </summary>
/// <param name="Channels">Number of channels (C).</param>
/// <param name="Height">Height in pixels (H).</param>
/// <param name="Width">Width in pixels (W).</param>
public readonly record struct FeatureShape(long Channels, long Height, long Width)
{
    /// <summary>The number of values per sample, C·H·W (the input width of a <c>Linear</c> after flatten).</summary>
    public long Elements => Channels * Height * Width;

    /// <summary>Formats the shape the way <c>.nn</c> files write it, e.g. <c>3x224x224</c>.</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
