namespace NetDsl.Examples.Training;

/// <summary>
/// What a <see cref="Trainer"/> needs besides the weights to continue a run exactly where it stopped: the
/// optimizer's state (Adam's moment estimates, step counts and learning rate, in TorchSharp's format) and torch's
/// random generator (dropout masks).
/// </summary>
public sealed record TrainerState(string Optimizer, byte[] OptimizerState, byte[] GeneratorState);
