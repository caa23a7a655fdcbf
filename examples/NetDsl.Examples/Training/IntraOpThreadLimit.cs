using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>Sets libtorch's intra-op thread count for a scope and restores the previous count afterwards.</summary>
internal sealed class IntraOpThreadLimit : IDisposable
{
    private readonly int _previous;

    /// <param name="threads">Threads to use; 0 leaves the current setting alone.</param>
    public IntraOpThreadLimit(int threads)
    {
        _previous = get_num_threads();
        if (threads > 0 && threads != _previous)
            set_num_threads(threads);
    }

    public void Dispose()
    {
        if (get_num_threads() != _previous)
            set_num_threads(_previous);
    }
}
