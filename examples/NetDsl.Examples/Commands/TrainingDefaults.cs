namespace NetDsl.Examples.Commands;

/// <summary>
/// What <c>train</c> (and the program without arguments) uses unless told otherwise, measured on
/// MultiPathNet_Digits with the 8,000 training digits on this 2-core machine (see examples/README.md, "Training").
/// </summary>
public static class TrainingDefaults
{
    public const string Model = "MultiPathNet_Digits";

    public const int Epochs = 5;

    public const int BatchSize = 64;

    public const double LearningRate = 2e-3;

    public const int Seed = 42;

    /// <summary>
    /// libtorch intra-op threads while training: the machine's two cores. Safe because NetDsl.Runtime caps
    /// oneDNN at AVX2 (its AVX-512 convolution backward pass corrupts gradients with more than one thread).
    /// </summary>
    public const int Threads = 2;

    /// <summary>Where a run keeps its checkpoint and plot: <c>runs/&lt;model&gt;</c> under the current directory.</summary>
    public static string OutDirectory(string model) => Path.Combine("runs", model);
}
