using System.Globalization;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The checks a generated constructor makes on values that depend on its arguments. The code and the
/// message format come from the language's diagnostic catalogue (the generator copies them), so a bad
/// argument at run time reads exactly like the compile-time diagnostic for the same mistake.
/// </summary>
public static class Require
{
    /// <summary>Throws <see cref="NetDslArgumentException"/> with <paramref name="code"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What must hold.</param>
    /// <param name="code">The diagnostic code, e.g. <c>NN0201</c>.</param>
    /// <param name="format">The catalogue's message format.</param>
    /// <param name="arguments">The values the message names.</param>
    public static void That(bool condition, string code, string format, params object[] arguments)
    {
        if (!condition)
            throw new NetDslArgumentException(code, string.Format(CultureInfo.InvariantCulture, format, arguments));
    }

    /// <summary>Returns <paramref name="value"/> as an integer, or throws when it is not a whole number.</summary>
    /// <param name="value">The value an <c>int</c> is expected from.</param>
    /// <param name="code">The diagnostic code.</param>
    /// <param name="format">The catalogue's message format; argument 0 is the value.</param>
    /// <param name="arguments">Further values the message names (arguments 1, 2, …).</param>
    public static long Whole(double value, string code, string format, params object[] arguments)
    {
        if (double.IsFinite(value) && Math.Abs(value) <= int.MaxValue && value == Math.Floor(value))
            return (long)value;
        throw new NetDslArgumentException(code,
            string.Format(CultureInfo.InvariantCulture, format, [Math.Round(value, 3), .. arguments]));
    }

    /// <summary>
    /// Returns <paramref name="value"/> when it lies in [<paramref name="minimum"/>, <paramref name="maximum"/>];
    /// otherwise throws with the code and message of the bound it breaks (a channel count must be positive and at
    /// most 1,000,000; a loop count must not be negative nor above 10,000).
    /// </summary>
    /// <param name="value">The value, formatted as argument 0 of the message.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="belowCode">The code when <paramref name="value"/> is below <paramref name="minimum"/>, e.g. <c>NN0201</c>.</param>
    /// <param name="belowFormat">The catalogue's message format for that case.</param>
    /// <param name="aboveCode">The code when <paramref name="value"/> is above <paramref name="maximum"/>, e.g. <c>NN0304</c>.</param>
    /// <param name="aboveFormat">The catalogue's message format for that case.</param>
    public static long Within(long value, long minimum, long maximum, string belowCode, string belowFormat, string aboveCode, string aboveFormat)
    {
        if (value < minimum)
            throw new NetDslArgumentException(belowCode, string.Format(CultureInfo.InvariantCulture, belowFormat, value));
        if (value > maximum)
            throw new NetDslArgumentException(aboveCode, string.Format(CultureInfo.InvariantCulture, aboveFormat, value));
        return value;
    }

    /// <summary>The code of a spatial size that reaches zero (the checker's NN0203), checked by <see cref="Layers"/>.</summary>
    public const string SpatialTooSmallCode = "NN0203";

    /// <summary>
    /// The message format of <see cref="SpatialTooSmallCode"/>: the layer (<c>conv 3x3/2</c>), its input size and
    /// its output size. A copy of the catalogue's, because <see cref="Layers"/> checks every spatial layer itself
    /// rather than each generated constructor; a generator test keeps the two equal.
    /// </summary>
    public const string SpatialTooSmallFormat = "{0} on {1} gives {2}; the features are too small for this layer";
}
