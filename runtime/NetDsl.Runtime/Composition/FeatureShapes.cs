namespace NetDsl.Runtime.Composition;

/// <summary>
/// Shape bookkeeping of generated constructors when several feature maps are current (after <c>from a, b</c> or a block
/// with several outputs): the checker guarantees the rules these follow, a shared layer keeps each map's spatial size.
/// </summary>
public static class FeatureShapes
{
    /// <summary>
    /// The shapes after one module, shared by all of them, turned <c>shapes[0]</c> into <paramref name="firstOutput"/>:
    /// every map takes its channel count and keeps its own spatial size.
    /// </summary>
    /// <param name="shapes">The shapes before the module.</param>
    /// <param name="firstOutput">The first map's shape after it.</param>
    public static FeatureShape[] Shared(IReadOnlyList<FeatureShape> shapes, FeatureShape firstOutput)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var result = new FeatureShape[shapes.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = i == 0 ? firstOutput : shapes[i] with { Channels = firstOutput.Channels };
        return result;
    }

    /// <summary>The shapes resized to <paramref name="target"/>'s height and width (<c>resize(to: ...)</c>).</summary>
    /// <param name="shapes">The shapes before.</param>
    /// <param name="target">The feature map whose spatial size they take.</param>
    public static FeatureShape[] ResizedTo(IReadOnlyList<FeatureShape> shapes, FeatureShape target)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        return shapes.Select(shape => shape with { Height = target.Height, Width = target.Width }).ToArray();
    }
}
