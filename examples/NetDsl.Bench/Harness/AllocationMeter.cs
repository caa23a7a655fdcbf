namespace NetDsl.Bench.Harness;

/// <summary>Managed bytes one call allocates on the calling thread (the forward pass runs on it).</summary>
public static class AllocationMeter
{
    /// <summary>
    /// The median over <paramref name="samples"/> calls, after <paramref name="warmupCalls"/> calls: the first calls
    /// also allocate JIT and cache data that a steady-state forward pass does not.
    /// </summary>
    public static long BytesPerCall(Func<long> measuredCall, int warmupCalls, int samples)
    {
        for (var i = 0; i < warmupCalls; i++)
            measuredCall();
        var bytes = new double[samples];
        for (var i = 0; i < samples; i++)
            bytes[i] = measuredCall();
        return (long)Summary.Of(bytes).Median;
    }

    /// <summary>Allocated bytes of <paramref name="action"/> alone; setup outside it is not counted.</summary>
    public static long Around(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
