namespace NetDsl.Runtime;

/// <summary>Who decided whether libtorch's oneDNN (mkldnn) convolutions run in this process.</summary>
public enum OneDnnDecisionSource
{
    /// <summary><c>NETDSL_ONEDNN=on</c>: kept on without a check.</summary>
    ForcedOn,

    /// <summary><c>NETDSL_ONEDNN=off</c>: switched off without a check.</summary>
    ForcedOff,

    /// <summary>The self-check compared oneDNN's kernels with ATen's on this machine.</summary>
    SelfCheck,

    /// <summary>This libtorch has no oneDNN, or its switch could not be reached (then oneDNN is capped at AVX2).</summary>
    Unavailable,
}

/// <summary>
/// What <see cref="TorchEnvironment"/> decided about oneDNN convolutions when NetDsl.Runtime loaded, and why.
/// </summary>
/// <param name="Enabled">Whether oneDNN convolutions are on.</param>
/// <param name="Source">Who decided.</param>
/// <param name="Reason">One sentence a user can act on, e.g. which kernel disagreed with ATen's.</param>
/// <param name="CheckDuration">How long the self-check took, wall clock (null when it did not run).</param>
/// <param name="CheckProcessorTime">The processor time the process spent in the self-check, all threads (null when it did not run).</param>
public sealed record OneDnnDecision(bool Enabled, OneDnnDecisionSource Source, string Reason, TimeSpan? CheckDuration,
    TimeSpan? CheckProcessorTime = null)
{
    /// <summary>The decision on one line, for logs and the bench.</summary>
    public override string ToString() =>
        $"oneDNN {(Enabled ? "on" : "off")} ({Source}{(CheckDuration is { } d ? $", check {d.TotalMilliseconds:0.0} ms" : "")}" +
        $"{(CheckProcessorTime is { } p ? $", {p.TotalMilliseconds:0.0} ms processor time" : "")}): {Reason}";
}
