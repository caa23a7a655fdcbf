using System.Diagnostics;

namespace NetDsl.Bench.Harness;

/// <summary>How long and how often to measure.</summary>
/// <param name="WarmupCalls">Calls of each side before timing: JIT, libtorch's kernel selection, allocator pools.</param>
/// <param name="Rounds">Timed rounds; each times both sides, so drift hits both alike.</param>
/// <param name="CallsPerRound">Calls of one side in one round; the round's figure is their mean.</param>
public sealed record TimingPlan(int WarmupCalls, int Rounds, int CallsPerRound);

/// <summary>Per-call times (ms) of a baseline and a candidate measured in the same rounds, and their ratio.</summary>
/// <param name="Baseline">Per-call milliseconds of the baseline, one value per round.</param>
/// <param name="Candidate">Per-call milliseconds of the candidate, one value per round.</param>
/// <param name="Ratio">Candidate / baseline of each round: pairs measured seconds apart, so slow phases of the
/// machine cancel out of the ratio even when they show in the times.</param>
public sealed record PairedTiming(Summary Baseline, Summary Candidate, Summary Ratio);

/// <summary>
/// Times two actions against each other: warm-up, then rounds in alternating order (A B, B A, A B, ...),
/// so neither side always runs first after a garbage collection or always second in a round.
/// </summary>
public static class PairedTimer
{
    public static PairedTiming Measure(Action baseline, Action candidate, TimingPlan plan) =>
        Measure(calls => TimePerCall(baseline, calls), calls => TimePerCall(candidate, calls), plan);

    /// <summary>
    /// The same protocol for sides that time themselves, such as another process: each function runs the given number
    /// of consecutive calls and returns the mean milliseconds per call.
    /// </summary>
    public static PairedTiming Measure(Func<int, double> baseline, Func<int, double> candidate, TimingPlan plan)
    {
        if (plan.WarmupCalls > 0)
        {
            baseline(plan.WarmupCalls);
            candidate(plan.WarmupCalls);
        }

        var baselineTimes = new List<double>(plan.Rounds);
        var candidateTimes = new List<double>(plan.Rounds);
        var ratios = new List<double>(plan.Rounds);
        for (var round = 0; round < plan.Rounds; round++)
        {
            // Start each round from the same managed-heap state; the collection itself is not timed.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            double baselineMs, candidateMs;
            if (round % 2 == 0)
            {
                baselineMs = baseline(plan.CallsPerRound);
                candidateMs = candidate(plan.CallsPerRound);
            }
            else
            {
                candidateMs = candidate(plan.CallsPerRound);
                baselineMs = baseline(plan.CallsPerRound);
            }
            baselineTimes.Add(baselineMs);
            candidateTimes.Add(candidateMs);
            ratios.Add(candidateMs / baselineMs);
        }
        return new PairedTiming(Summary.Of(baselineTimes), Summary.Of(candidateTimes), Summary.Of(ratios));
    }

    /// <summary>Mean milliseconds of one call over <paramref name="calls"/> consecutive calls.</summary>
    public static double TimePerCall(Action action, int calls)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
            action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / calls;
    }
}
