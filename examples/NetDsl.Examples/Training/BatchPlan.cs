namespace NetDsl.Examples.Training;

/// <summary>Splits example indices into batches, in order or in a seeded shuffle.</summary>
public static class BatchPlan
{
    public static int[][] Sequential(int count, int batchSize) =>
        Chunk(Enumerable.Range(0, count).ToArray(), batchSize);

    /// <summary>A permutation of 0..count-1 cut into batches; the same seed always gives the same batches.</summary>
    public static int[][] Shuffled(int count, int batchSize, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return Chunk(order, batchSize);
    }

    private static int[][] Chunk(int[] order, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return order.Chunk(batchSize).ToArray();
    }
}
