using System.Globalization;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The checks a generated constructor makes on values that depend on its arguments, one helper per rule of the
/// language. Each throws <see cref="NetDslArgumentException"/> with the code and message the checker gives for the
/// same mistake: the message formats are the runtime's copy of the language's diagnostic catalogue
/// (<see cref="Catalogue"/>), and a test keeps the copy equal to it. A generated constructor checks values that
/// depend only on its arguments once, at its top; values computed further down (in loops, from the features'
/// shape) where they are computed.
/// </summary>
public static class Require
{
    // The language's limits, as the catalogue's messages state them.
    private const long MaxChannels = 1_000_000;
    private const long MaxSpatial = 65_536;
    private const long MaxLoopCount = 10_000;

    /// <summary>
    /// Returns <paramref name="count"/> when it is a channel count: positive (NN0201) and at most 1,000,000 (NN0304).
    /// </summary>
    /// <param name="count">The channel count.</param>
    /// <param name="name">The name the count is written as in the <c>.nn</c> source, if it is a bare name: the message
    /// then reads <c>channel count planes = 0 must be positive</c>, as the checker's does.</param>
    public static long ChannelCount(long count, string? name = null)
    {
        if (count < 1)
            throw Catalogue.NotPositive.Exception("channel count", Explain(name, count.ToString(CultureInfo.InvariantCulture)));
        if (count > MaxChannels)
            throw Catalogue.TooManyChannels.Exception(count);
        return count;
    }

    /// <summary>
    /// Returns a float channel count as an integer when it is whole (NN0200), positive (NN0201) and at most 1,000,000 (NN0304).
    /// </summary>
    /// <param name="count">The channel count, computed as a float.</param>
    /// <param name="name">The name the count is written as in the <c>.nn</c> source, if it is a bare name.</param>
    public static long ChannelCount(double count, string? name = null)
    {
        if (!IsWhole(count))
            throw Catalogue.ChannelsNotWhole.Exception(Explain(name, FormatFloat(count)));
        if (count < 1)
            throw Catalogue.NotPositive.Exception("channel count", Explain(name, FormatFloat(count)));
        if (count > MaxChannels)
            throw Catalogue.TooManyChannels.Exception((long)count);
        return (long)count;
    }

    /// <summary>Returns <paramref name="size"/> when it is a spatial size: positive (NN0201) and at most 65,536 (NN0305).</summary>
    /// <param name="size">The size.</param>
    /// <param name="what">What the size is, for the message: <c>input height</c>, <c>input width</c>.</param>
    public static long SpatialSize(long size, string what)
    {
        if (size < 1)
            throw Catalogue.NotPositive.Exception(what, size);
        if (size > MaxSpatial)
            throw Catalogue.SpatialTooLarge.Exception(size);
        return size;
    }

    /// <summary>Returns the count of a <c>repeat</c> when it is not negative (NN0215) nor above 10,000 (NN0300).</summary>
    /// <param name="count">The number of passes.</param>
    public static long RepeatCount(long count) => LoopCount(count, "repeat");

    /// <summary>Returns the count of a <c>dense</c> block when it is not negative (NN0215) nor above 10,000 (NN0300).</summary>
    /// <param name="count">The number of layers.</param>
    public static long DenseCount(long count) => LoopCount(count, "dense");

    /// <summary>Checks that the range <c>from..to</c> of a <c>for</c> has at most 10,000 items (NN0300).</summary>
    /// <param name="from">The first item.</param>
    /// <param name="to">The last item, included; below <paramref name="from"/> the range is empty.</param>
    public static void RangeLength(long from, long to)
    {
        var count = Math.Max(0, to - from + 1);
        if (count > MaxLoopCount)
            throw Catalogue.LoopTooLong.Exception("for", count);
    }

    /// <summary>Returns a float as an integer where the language needs an int, when it is whole (NN0120).</summary>
    /// <param name="value">The value.</param>
    /// <param name="what">Where the int is needed, for the message: <c>k of conv</c>, <c>the repeat count</c>.</param>
    /// <param name="name">The name the value is written as in the <c>.nn</c> source, if it is a bare name.</param>
    public static long WholeNumber(double value, string what, string? name = null)
    {
        if (!IsWhole(value))
            throw Catalogue.NotWholeNumber.Exception(what, Explain(name, FormatFloat(value)));
        return (long)value;
    }

    /// <summary>
    /// Checks the groups of a convolution: positive (NN0201), dividing its input channels and then its output channels (NN0202).
    /// </summary>
    /// <param name="groups">The groups.</param>
    /// <param name="inChannels">The channels entering the layer.</param>
    /// <param name="outChannels">The channels it makes.</param>
    /// <param name="layer">The layer, for the message: <c>conv</c>.</param>
    public static void ConvolutionGroups(long groups, long inChannels, long outChannels, string layer)
    {
        if (groups < 1)
            throw Catalogue.NotPositive.Exception(layer + " groups", groups);
        if (inChannels % groups != 0)
            throw Catalogue.GroupsDoNotDivide.Exception(groups, inChannels, "input", layer);
        if (outChannels % groups != 0)
            throw Catalogue.GroupsDoNotDivide.Exception(groups, outChannels, "output", layer);
    }

    /// <summary>Checks the groups of a <c>shuffle</c>: positive (NN0201) and dividing the channels (NN0221).</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="channels">The channels entering the shuffle.</param>
    public static void ShuffleGroups(long groups, long channels)
    {
        if (groups < 1)
            throw Catalogue.NotPositive.Exception("shuffle groups", groups);
        if (channels % groups != 0)
            throw Catalogue.ShuffleGroups.Exception(groups, channels);
    }

    /// <summary>Checks that the body of a residual without projection keeps the shape of its input (NN0206).</summary>
    /// <param name="input">The shape entering the residual.</param>
    /// <param name="output">The shape its body makes.</param>
    public static void ResidualKeepsShape(FeatureShape input, FeatureShape output)
    {
        if (output != input)
            throw Catalogue.ResidualShapeMismatch.Exception(input, output);
    }

    /// <summary>Checks that a <c>parallel</c> or <c>split</c> whose paths come from loops has some (NN0130).</summary>
    /// <param name="count">The number of paths.</param>
    /// <param name="keyword"><c>parallel</c> or <c>split</c>.</param>
    public static void SomePaths(int count, string keyword)
    {
        if (count < 1)
            throw Catalogue.NoPaths.Exception(keyword);
    }

    /// <summary>Returns the shape each path of a <c>split</c> gets, when the channels split evenly (NN0207).</summary>
    /// <param name="input">The shape entering the split.</param>
    /// <param name="paths">The number of paths; at least 1.</param>
    public static FeatureShape EvenSplit(FeatureShape input, int paths)
    {
        if (input.Channels % paths != 0)
            throw Catalogue.SplitNotEven.Exception(input.Channels, paths, FormatFloat(input.Channels / (double)paths));
        return input with { Channels = input.Channels / paths };
    }

    /// <summary>Checks that the paths of a <c>parallel add</c> end in one shape (NN0205).</summary>
    /// <param name="shapes">The shape each path makes, in order; at least one.</param>
    public static void SameShapes(IReadOnlyList<FeatureShape> shapes)
    {
        for (var i = 1; i < shapes.Count; i++)
        {
            if (shapes[i] != shapes[0])
                throw Catalogue.AddShapeMismatch.Exception(shapes[0], shapes[i], i + 1);
        }
    }

    /// <summary>Checks that the paths of a concatenation end in one spatial size (NN0204).</summary>
    /// <param name="shapes">The shape each path makes, in order; at least one.</param>
    /// <param name="merge">What concatenates them, for the message: <c>concat</c> or <c>split</c>.</param>
    public static void SameSpatialSize(IReadOnlyList<FeatureShape> shapes, string merge)
    {
        for (var i = 1; i < shapes.Count; i++)
        {
            if (shapes[i].Height != shapes[0].Height || shapes[i].Width != shapes[0].Width)
                throw Catalogue.ConcatSpatialMismatch.Exception(merge + " of paths", Spatial(shapes[0]), Spatial(shapes[i]), "");
        }
    }

    /// <summary>Checks that a layer of a <c>dense</c> block keeps the spatial size of the features it is concatenated to (NN0204).</summary>
    /// <param name="input">The features entering the layer.</param>
    /// <param name="output">The features it makes.</param>
    public static void DenseLayerKeepsSize(FeatureShape input, FeatureShape output)
    {
        if (output.Height != input.Height || output.Width != input.Width)
            throw Catalogue.ConcatSpatialMismatch.Exception("dense concat of layers", Spatial(input), Spatial(output), "");
    }

    private static long LoopCount(long count, string keyword)
    {
        if (count < 0)
            throw Catalogue.NegativeValue.Exception(keyword + " count", count);
        if (count > MaxLoopCount)
            throw Catalogue.LoopTooLong.Exception(keyword, count);
        return count;
    }

    /// <summary>
    /// NN0402 unless feature maps <paramref name="first"/> and <paramref name="other"/> can be merged: equal shapes for
    /// <c>add</c> and <c>fuse</c>, equal spatial sizes for <c>concat</c>.
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
        if (concat ? first.Height == other.Height && first.Width == other.Width : first == other)
            return;
        string hint = concat ? MergeEqualSpatialSizesHint : string.Format(CultureInfo.InvariantCulture, MergeEqualShapesHint, kind);
        throw Catalogue.MergeShapeMismatch.Exception(merge, firstName, first, otherName, other, hint);
    }

    /// <summary>NN0402's advice for <c>add</c> and <c>fuse</c> (<c>{0}</c>: which); a copy of the catalogue's, a test keeps them equal.</summary>
    public const string MergeEqualShapesHint =
        "{0} needs equal shapes; bring them to one size with resize(to: ...) or upsample, and to one channel count with a 1x1 conv";

    /// <summary>NN0402's advice for <c>concat</c>.</summary>
    public const string MergeEqualSpatialSizesHint = "concat needs equal spatial sizes; bring one to the other's size with resize(to: ...) or upsample";

    /// <summary>NN0405 unless a graph block is given as many feature maps as its <c>inputs</c> names.</summary>
    /// <param name="block">The block's name.</param>
    /// <param name="takes">How many its <c>inputs</c> statement names.</param>
    /// <param name="given">How many it was given.</param>
    public static void FeatureMapCount(string block, int takes, int given)
    {
        if (takes != given)
            throw Catalogue.BlockFeatureCount.Exception(block, takes, given);
    }

    private static bool IsWhole(double value) => double.IsFinite(value) && Math.Abs(value) <= long.MaxValue && value == Math.Floor(value);

    /// <summary>A value as the checker explains a bare name: <c>planes = 0</c>; otherwise the value alone.</summary>
    private static string Explain(string? name, string value) => name == null ? value : name + " = " + value;

    /// <summary>A float as the checker prints one: <c>2.5</c>, <c>1.333</c>, <c>4.0</c>.</summary>
    private static string FormatFloat(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string Spatial(FeatureShape shape) => $"{shape.Height}x{shape.Width}";

    /// <summary>
    /// One diagnostic of the language's catalogue that building a module can raise: its code and message format, copies
    /// of the catalogue's entry of the same name (<c>NetDsl.Diagnostics.DiagnosticCatalog</c>).
    /// </summary>
    /// <param name="Code">The code, e.g. <c>NN0201</c>.</param>
    /// <param name="MessageFormat">The message format, with the catalogue's placeholders.</param>
    public sealed record Diagnostic(string Code, string MessageFormat)
    {
        /// <summary>The exception that reports this diagnostic with <paramref name="arguments"/> filled in.</summary>
        /// <param name="arguments">The values the message names, in the catalogue's order.</param>
        public NetDslArgumentException Exception(params object[] arguments) =>
            new(Code, string.Format(CultureInfo.InvariantCulture, MessageFormat, arguments));
    }

    /// <summary>
    /// The runtime's copy of the entries of the language's diagnostic catalogue that building a module can raise, each
    /// named as the catalogue names it. The one place their messages are written in the runtime; a test compares every
    /// entry with the catalogue's.
    /// </summary>
    public static class Catalogue
    {
        /// <summary>NN0120: a float where an int is needed is not whole.</summary>
        public static readonly Diagnostic NotWholeNumber =
            new("NN0120", "{0} must be an int, but {1} is not a whole number; use div, round(), floor() or ceil()");

        /// <summary>NN0130: a parallel or split without paths.</summary>
        public static readonly Diagnostic NoPaths = new("NN0130", "'{0}' has no paths");

        /// <summary>NN0200: a channel count is not whole.</summary>
        public static readonly Diagnostic ChannelsNotWhole =
            new("NN0200", "channel count {0} is not a whole number; use div, round(), floor() or divisible()");

        /// <summary>NN0201: a value that must be positive is not.</summary>
        public static readonly Diagnostic NotPositive = new("NN0201", "{0} {1} must be positive");

        /// <summary>NN0202: a convolution's groups do not divide its channels.</summary>
        public static readonly Diagnostic GroupsDoNotDivide = new("NN0202", "groups {0} does not divide the {1} {2} channels of {3}");

        /// <summary>NN0203: a layer leaves no pixels (checked by <see cref="Layers"/>).</summary>
        public static readonly Diagnostic SpatialTooSmall = new("NN0203", "{0} on {1} gives {2}; the features are too small for this layer");

        /// <summary>NN0204: concatenated features differ in spatial size.</summary>
        public static readonly Diagnostic ConcatSpatialMismatch = new("NN0204", "{0} with spatial sizes {1} and {2}{3}");

        /// <summary>NN0205: added paths differ in shape.</summary>
        public static readonly Diagnostic AddShapeMismatch = new("NN0205", "add of paths with shapes {0} and {1}: path {2} differs from path 1");

        /// <summary>NN0206: a residual body without projection changes the shape.</summary>
        public static readonly Diagnostic ResidualShapeMismatch =
            new("NN0206", "residual body changes the shape from {0} to {1}; keep the shape, or use residual(project: true)");

        /// <summary>NN0207: a split's channels do not divide evenly among its paths.</summary>
        public static readonly Diagnostic SplitNotEven = new("NN0207", "split of {0} channels into {1} paths is not even; {0} / {1} = {2}");

        /// <summary>NN0215: a value that must not be negative is.</summary>
        public static readonly Diagnostic NegativeValue = new("NN0215", "{0} {1} must not be negative");

        /// <summary>NN0221: shuffle groups do not divide the channels.</summary>
        public static readonly Diagnostic ShuffleGroups = new("NN0221", "shuffle groups {0} does not divide the {1} channels");

        /// <summary>NN0402: named feature maps that do not fit their merge.</summary>
        public static readonly Diagnostic MergeShapeMismatch = new("NN0402", "{0}: '{1}' is {2} but '{3}' is {4}; {5}");

        /// <summary>NN0405: a graph block given the wrong number of feature maps.</summary>
        public static readonly Diagnostic BlockFeatureCount = new("NN0405", "{0} takes {1} feature map(s) (its 'inputs'), but there are {2} current ones");

        /// <summary>NN0300: a loop of more than 10,000 passes.</summary>
        public static readonly Diagnostic LoopTooLong = new("NN0300", "{0} count {1} is above the limit of 10,000");

        /// <summary>NN0304: more than 1,000,000 channels.</summary>
        public static readonly Diagnostic TooManyChannels = new("NN0304", "{0} channels is above the limit of 1,000,000");

        /// <summary>NN0305: a spatial size above 65,536.</summary>
        public static readonly Diagnostic SpatialTooLarge = new("NN0305", "spatial size {0} is above the limit of 65,536");
    }
}
