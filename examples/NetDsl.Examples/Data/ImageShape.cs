namespace NetDsl.Examples.Data;

/// <summary>Height and width of the single-channel images of a data set.</summary>
public readonly record struct ImageShape(int Rows, int Cols)
{
    public int Pixels => Rows * Cols;

    public override string ToString() => $"{Rows}x{Cols}";
}
