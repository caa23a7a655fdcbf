using System.Globalization;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The checks a generated constructor makes where named feature maps meet: the checker saw them fit at the default
/// arguments, other arguments may not. Codes and messages are the checker's (NN0402), kept equal by a generator test.
/// </summary>
public static class FeatureChecks
{
    /// <summary>The code of feature maps that do not fit their merge.</summary>
    public const string MergeShapeMismatchCode = "NN0402";

    /// <summary>The message format of <see cref="MergeShapeMismatchCode"/>: the merge as written, then each map's name and shape, then the hint.</summary>
    public const string MergeShapeMismatchFormat = "{0}: '{1}' is {2} but '{3}' is {4}; {5}";

    /// <summary>What to do about feature maps that do not fit an <c>add</c> or <c>fuse</c> (<c>{0}</c>: the merge's name).</summary>
    public const string EqualShapesHint = "{0} needs equal shapes; bring them to one size with resize(to: ...) or upsample, and to one channel count with a 1x1 conv";

    /// <summary>What to do about feature maps that do not fit a <c>concat</c>.</summary>
    public const string EqualSpatialSizesHint = "concat needs equal spatial sizes; bring one to the other's size with resize(to: ...) or upsample";

    /// <summary>The code of a graph block given the wrong number of feature maps.</summary>
    public const string FeatureMapCountCode = "NN0405";

    /// <summary>The message format of <see cref="FeatureMapCountCode"/>: the block, how many it takes, how many it got.</summary>
    public const string FeatureMapCountFormat = "{0} takes {1} feature map(s) (its 'inputs'), but there are {2} current ones";

    /// <summary>Throws <see cref="NetDslArgumentException"/> NN0405 unless a graph block is given as many feature maps as it takes.</summary>
    /// <param name="block">The block's name.</param>
    /// <param name="takes">How many its <c>inputs</c> statement names.</param>
    /// <param name="given">How many it was given.</param>
    public static void FeatureMapCount(string block, int takes, int given)
    {
        if (takes != given)
            throw new NetDslArgumentException(FeatureMapCountCode, string.Format(CultureInfo.InvariantCulture, FeatureMapCountFormat, block, takes, given));
    }

    /// <summary>
    /// Throws <see cref="NetDslArgumentException"/> NN0402 unless the feature maps <paramref name="first"/> and
    /// <paramref name="other"/> can be merged: equal shapes for <c>add</c> and <c>fuse</c>, equal spatial sizes for <c>concat</c>.
    /// </summary>
    /// <param name="merge">The merge as written in the .nn file: <c>add(l4, up5)</c>.</param>
    /// <param name="firstName">The first map's name.</param>
    /// <param name="first">The first map's shape.</param>
    /// <param name="otherName">The other map's name.</param>
    /// <param name="other">The other map's shape.</param>
    public static void Mergeable(string merge, string firstName, FeatureShape first, string otherName, FeatureShape other)
    {
        ArgumentNullException.ThrowIfNull(merge);
        string kind = merge[..merge.IndexOf('(')];
        bool concat = kind == "concat";
        bool fits = concat ? first.Height == other.Height && first.Width == other.Width : first == other;
        if (fits)
            return;
        string hint = concat ? EqualSpatialSizesHint : string.Format(CultureInfo.InvariantCulture, EqualShapesHint, kind);
        throw new NetDslArgumentException(MergeShapeMismatchCode,
            string.Format(CultureInfo.InvariantCulture, MergeShapeMismatchFormat, merge, firstName, first, otherName, other, hint));
    }
}
