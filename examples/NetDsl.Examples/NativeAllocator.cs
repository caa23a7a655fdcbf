using System.Runtime.InteropServices;

namespace NetDsl.Examples;

/// <summary>
/// Tells glibc's malloc to keep freed memory for reuse instead of handing it back to the kernel at once.
/// </summary>
/// <remarks>
/// With oneDNN off (NetDsl.Runtime.TorchEnvironment), libtorch's own convolutions allocate and free an
/// unfolded copy of their input (several MiB) per call. By default glibc serves such blocks with mmap and
/// returns them with munmap, so every batch faults fresh zeroed pages in: training MultiPathNet_Digits on
/// 2,000 digits took 36 s on this 2-core machine, 30 s of it in the kernel. Serving those blocks from the heap
/// and trimming it only beyond 256 MiB free: 20-30 s per epoch of all 8,000 digits, the same weights bit for
/// bit, and a working set that stays at 750-800 MiB from epoch to epoch (a 1 GiB trim threshold was ~20 %
/// faster again but let the working set wander between 0.9 and 1.3 GiB).
/// Same effect as MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_/MALLOC_TOP_PAD_ in the environment, which must
/// be set before the process starts. Only glibc (Linux) has these settings; elsewhere this does nothing.
/// </remarks>
internal static class NativeAllocator
{
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD

    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = mallopt(MmapThreshold, 1 << 30);
            _ = mallopt(TrimThreshold, 256 << 20);
            _ = mallopt(TopPad, 64 << 20);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc: its allocator has its own policy.
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);
}
