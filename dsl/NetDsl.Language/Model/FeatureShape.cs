namespace NetDsl.Model
{
    /// <summary>The features between two layers: <c>C x H x W</c>, or <c>F</c> flat features after <c>flatten</c>.</summary>
    public sealed record FeatureShape(long Channels, long Height, long Width, bool IsFlat)
    {
        public static FeatureShape Spatial(long channels, long height, long width) => new FeatureShape(channels, height, width, false);

        public static FeatureShape Flat(long features) => new FeatureShape(features, 1, 1, true);

        /// <summary><c>16x16</c>: the spatial part, as messages print it.</summary>
        public string SpatialText => $"{Height}x{Width}";

        public override string ToString() => IsFlat ? Channels.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Channels}x{Height}x{Width}";
    }
}
