using NetDsl.Examples.Data;

namespace NetDsl.Examples.Tests;

/// <summary>The real digits file, read once and shared by the tests (it is never modified).</summary>
public static class DigitsTestFile
{
    private static readonly Lazy<byte[]> LazyBytes = new(() => File.ReadAllBytes(DigitsFile.Locate()));
    private static readonly Lazy<DigitsDataset> LazyDataset = new(() => DigitsFile.Read(Bytes, "digits.bin"));

    public static byte[] Bytes => LazyBytes.Value;

    public static DigitsDataset Dataset => LazyDataset.Value;

    /// <summary>A copy of the file's bytes, for tests that damage it.</summary>
    public static byte[] Copy() => (byte[])Bytes.Clone();
}
