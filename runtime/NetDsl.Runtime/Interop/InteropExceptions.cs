namespace NetDsl.Runtime.Interop;

/// <summary>
/// A file is not readable as the format it claims: a state dict that is truncated, corrupt, of another kind or
/// holds something other than named tensors, or an .npy array that is not float32. The message is one line
/// that says what was found.
/// </summary>
public sealed class InteropFormatException : IOException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public InteropFormatException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// A state dict does not fit a module: the entry counts, a shape or an element type differ, or a value is not
/// finite. Nothing was loaded. The message is one line naming the first differing entries.
/// </summary>
public sealed class WeightMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public WeightMismatchException(string message) : base(message) { }
}
