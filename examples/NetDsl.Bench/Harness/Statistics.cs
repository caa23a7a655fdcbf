namespace NetDsl.Bench.Harness;

/// <summary>Order statistics of a sample: robust against the odd slow run a shared machine produces.</summary>
public sealed record Summary(double Median, double LowerQuartile, double UpperQuartile, int Count)
{
    /// <summary>Half the interquartile range relative to the median, as a fraction: "± x %".</summary>
    public double RelativeSpread => Median == 0 ? 0 : (UpperQuartile - LowerQuartile) / 2 / Math.Abs(Median);

    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            throw new ArgumentException("a summary needs at least one value", nameof(values));
        var sorted = values.Order().ToArray();
        return new Summary(Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted.Length);
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
