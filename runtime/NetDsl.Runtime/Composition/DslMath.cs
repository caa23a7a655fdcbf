namespace NetDsl.Runtime.Composition;

/// <summary>
/// The operators and built-in functions of the language whose C# counterparts differ (floor division,
/// Python-style modulo and rounding, integer powers), so generated code computes exactly what the
/// checker computed.
/// </summary>
public static class DslMath
{
    /// <summary><c>a // b</c>: division rounded towards negative infinity.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is 0.</exception>
    public static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    /// <summary><c>a % b</c> with the sign of <paramref name="b"/>, like Python.</summary>
    public static long Mod(long a, long b) => a - b * FloorDiv(a, b);

    /// <summary><c>a ^ b</c> on integers; <paramref name="exponent"/> is at least 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exponent"/> is negative.</exception>
    public static long Pow(long value, long exponent)
    {
        if (exponent < 0)
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "an integer power needs an exponent of at least 0");
        long result = 1;
        for (long i = 0; i < exponent; i++)
            result = checked(result * value);
        return result;
    }

    /// <summary><c>round(x)</c>: to the nearest integer, ties to even (Python's <c>round</c>).</summary>
    public static long Round(double value) => (long)Math.Round(value, MidpointRounding.ToEven);

    /// <summary><c>floor(x)</c>.</summary>
    public static long Floor(double value) => (long)Math.Floor(value);

    /// <summary><c>ceil(x)</c>.</summary>
    public static long Ceil(double value) => (long)Math.Ceiling(value);

    /// <summary><c>a..b</c>: the integers from <paramref name="from"/> to <paramref name="to"/> inclusive (none when to &lt; from).</summary>
    public static IEnumerable<long> Range(long from, long to)
    {
        for (var value = from; value <= to; value++)
            yield return value;
    }

    /// <summary><c>repeat n</c>: the pass indices 0, 1, …, <paramref name="count"/> − 1 (none when the count is below 1).</summary>
    public static IEnumerable<long> Passes(long count) => Range(0, count - 1);
}
