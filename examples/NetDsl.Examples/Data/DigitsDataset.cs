namespace NetDsl.Examples.Data;

/// <summary>The digits read from one file: a training split and a held-out test split.</summary>
public sealed class DigitsDataset
{
    internal DigitsDataset(string source, ImageShape imageShape, int classCount, DigitsSplit train, DigitsSplit test)
    {
        Source = source;
        ImageShape = imageShape;
        ClassCount = classCount;
        Train = train;
        Test = test;
    }

    /// <summary>Name of the file the digits came from.</summary>
    public string Source { get; }

    public ImageShape ImageShape { get; }

    public int ClassCount { get; }

    public DigitsSplit Train { get; }

    public DigitsSplit Test { get; }

    public int Count => Train.Count + Test.Count;
}
