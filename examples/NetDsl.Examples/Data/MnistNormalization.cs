namespace NetDsl.Examples.Data;

/// <summary>
/// Maps pixel bytes to network inputs: (byte / 255 - mean) / std with the mean and standard
/// deviation of the MNIST training set, so inputs are roughly zero-centred with unit variance.
/// </summary>
public static class MnistNormalization
{
    public const float Mean = 0.1307f;
    public const float Std = 0.3081f;

    private static readonly float[] ByByte = Enumerable.Range(0, 256).Select(b => Normalize((byte)b)).ToArray();

    public static float Normalize(byte pixel) => (pixel / 255f - Mean) / Std;

    /// <summary>Normalises <paramref name="pixels"/> into <paramref name="destination"/> (same length) by table look-up.</summary>
    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length != pixels.Length)
            throw new ArgumentException($"destination holds {destination.Length} values, pixels {pixels.Length}", nameof(destination));
        for (var i = 0; i < pixels.Length; i++)
            destination[i] = ByByte[pixels[i]];
    }
}
