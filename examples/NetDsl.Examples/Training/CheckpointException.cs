namespace NetDsl.Examples.Training;

/// <summary>
/// A checkpoint cannot be written, read or used. The message is one line for the user: the file, what is
/// wrong with it, and what to do.
/// </summary>
public sealed class CheckpointException(string message) : Exception(message);
