using static TorchSharp.torch;

namespace NetDsl.Bench.Models;

/// <summary>One architecture of the zoo, with its hand-written and its generated module.</summary>
/// <param name="Name">The network's name in examples/models.</param>
/// <param name="Input">Channels, height and width of one sample.</param>
/// <param name="ExpectedParameters">The reference parameter count (examples/models, torchvision).</param>
/// <param name="CreateHandWritten">The hand-written TorchSharp module: the baseline.</param>
/// <param name="CreateGenerated">The module the NetDsl generator emitted: the candidate.</param>
public sealed record ModelCase(
    string Name,
    (long Channels, long Height, long Width) Input,
    long ExpectedParameters,
    Func<nn.Module<Tensor, Tensor>> CreateHandWritten,
    Func<nn.Module<Tensor, Tensor>> CreateGenerated)
{
    public string InputText => $"{Input.Channels}x{Input.Height}x{Input.Width}";
}
