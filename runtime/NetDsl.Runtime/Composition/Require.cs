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
}
