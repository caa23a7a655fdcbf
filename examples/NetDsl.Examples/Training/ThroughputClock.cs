using System.Diagnostics;

namespace NetDsl.Examples.Training;

/// <summary>Training throughput and the time left for a known number of samples.</summary>
internal sealed class ThroughputClock(long totalSamples)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _done;

    public void Add(long samples) => _done += samples;

    public double SamplesPerSecond => _clock.Elapsed.TotalSeconds > 0 ? _done / _clock.Elapsed.TotalSeconds : 0;

    public TimeSpan Remaining => SamplesPerSecond > 0
        ? TimeSpan.FromSeconds(Math.Max(0, totalSamples - _done) / SamplesPerSecond)
        : TimeSpan.Zero;
}
