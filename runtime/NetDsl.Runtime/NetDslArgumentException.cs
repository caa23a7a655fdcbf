namespace NetDsl.Runtime;

/// <summary>
/// Thrown by a generated constructor when an argument the compiler could not see (one passed at run time)
/// makes the network invalid. It carries the diagnostic code the checker would have reported, and its
/// <see cref="Message"/> is exactly <c>"NN0201: &lt;message&gt;"</c> with the same text as the compile-time
/// diagnostic.
/// </summary>
/// <example><code>
/// if ((out % paths) != 0)
///     throw new NetDslArgumentException("NN0201", $"channel count out / paths = {out} / {paths} is not a whole number", nameof(paths));
/// </code></example>
public sealed class NetDslArgumentException : ArgumentException
{
    /// <summary>The diagnostic code, e.g. <c>NN0201</c>.</summary>
    public string Code { get; }

    /// <summary>The diagnostic text without the code: the compile-time diagnostic's message.</summary>
    public string DiagnosticMessage { get; }

    /// <summary>Creates the exception.</summary>
    /// <param name="code">The diagnostic code, e.g. <c>NN0201</c>; not empty.</param>
    /// <param name="message">The diagnostic's message, without the code.</param>
    /// <param name="paramName">The constructor parameter whose value is at fault, if one is; available as
    /// <see cref="ArgumentException.ParamName"/> and not appended to <see cref="Message"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="code"/> is empty or white space.</exception>
    public NetDslArgumentException(string code, string message, string? paramName = null)
        : base($"{code}: {message}", paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        DiagnosticMessage = message;
    }

    /// <summary>Exactly <c>"&lt;code&gt;: &lt;message&gt;"</c>, e.g. <c>"NN0201: …"</c> (the parameter name is not appended).</summary>
    public override string Message => $"{Code}: {DiagnosticMessage}";
}
