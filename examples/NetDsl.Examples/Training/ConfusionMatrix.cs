using System.Text;

namespace NetDsl.Examples.Training;

/// <summary>Counts of (actual class, predicted class) pairs; rows are actual, columns predicted.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        _counts = new long[classCount, classCount];
    }

    public int ClassCount => _counts.GetLength(0);

    public long this[int actual, int predicted] => _counts[actual, predicted];

    public long Total { get; private set; }

    public long Correct { get; private set; }

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    public void Add(int actual, int predicted)
    {
        _counts[actual, predicted]++;
        Total++;
        if (actual == predicted)
            Correct++;
    }

    /// <summary>Share of class <paramref name="actual"/> that was recognised (recall).</summary>
    public double Recall(int actual)
    {
        long row = 0;
        for (var p = 0; p < ClassCount; p++)
            row += _counts[actual, p];
        return row == 0 ? 0 : (double)_counts[actual, actual] / row;
    }

    /// <summary>The matrix as a rectangular array, a copy.</summary>
    public long[,] ToArray() => (long[,])_counts.Clone();

    /// <summary>Fixed-width text table, actual classes down, predicted across.</summary>
    public override string ToString()
    {
        var width = Math.Max(4, Total.ToString().Length + 1);
        var text = new StringBuilder("actual\\pred".PadRight(12));
        for (var p = 0; p < ClassCount; p++)
            text.Append(p.ToString().PadLeft(width));
        text.AppendLine();
        for (var a = 0; a < ClassCount; a++)
        {
            text.Append(a.ToString().PadRight(12));
            for (var p = 0; p < ClassCount; p++)
                text.Append(_counts[a, p].ToString().PadLeft(width));
            text.AppendLine();
        }
        return text.ToString();
    }
}
