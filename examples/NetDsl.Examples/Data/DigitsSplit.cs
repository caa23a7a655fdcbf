using NetDsl.Examples.Training;
using static TorchSharp.torch;

namespace NetDsl.Examples.Data;

/// <summary>
/// One split of the digits (train or test): labels and 8-bit pixels in memory, turned into
/// normalised TorchSharp tensors batch by batch.
/// </summary>
public sealed class DigitsSplit : IClassificationData
{
    private readonly byte[] _labels;
    private readonly byte[] _pixels;

    internal DigitsSplit(string name, ImageShape imageShape, int classCount, byte[] labels, byte[] pixels)
    {
        if (pixels.Length != (long)labels.Length * imageShape.Pixels)
            throw new ArgumentException($"{labels.Length} labels need {labels.Length * imageShape.Pixels} pixels, got {pixels.Length}");
        Name = name;
        ImageShape = imageShape;
        ClassCount = classCount;
        _labels = labels;
        _pixels = pixels;
    }

    public string Name { get; }

    public ImageShape ImageShape { get; }

    public int ClassCount { get; }

    public int Count => _labels.Length;

    public IReadOnlyList<byte> Labels => _labels;

    /// <summary>The raw pixels (0..255, row by row) of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Pixels(int index) => _pixels.AsSpan(checked(index * ImageShape.Pixels), ImageShape.Pixels);

    /// <summary>How many images of each class the split holds.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in _labels)
            counts[label]++;
        return counts;
    }

    /// <summary>The first <paramref name="count"/> images, e.g. for quick runs (the file interleaves classes).</summary>
    public DigitsSplit Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return new DigitsSplit(Name, ImageShape, ClassCount, _labels[..count], _pixels[..(count * ImageShape.Pixels)]);
    }

    /// <summary>Images float32 [N,1,rows,cols] normalised with the MNIST mean and std, labels int64 [N].</summary>
    public (Tensor Inputs, Tensor Labels) CreateBatch(ReadOnlySpan<int> indices)
    {
        var pixelsPerImage = ImageShape.Pixels;
        var images = new float[indices.Length * pixelsPerImage];
        var labels = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            MnistNormalization.Normalize(Pixels(indices[i]), images.AsSpan(i * pixelsPerImage, pixelsPerImage));
            labels[i] = _labels[indices[i]];
        }
        return (
            tensor(images, [indices.Length, 1, ImageShape.Rows, ImageShape.Cols]),
            tensor(labels, [indices.Length]));
    }

    /// <summary>All images as one batch, in file order.</summary>
    public (Tensor Inputs, Tensor Labels) ToTensors() => CreateBatch(Enumerable.Range(0, Count).ToArray());
}
