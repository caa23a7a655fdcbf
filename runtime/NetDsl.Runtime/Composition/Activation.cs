using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>The activation functions of the language, as values (a table row can carry one).</summary>
public enum Activation
{
    /// <summary><c>relu</c>: <c>nn.ReLU</c>.</summary>
    Relu,
    /// <summary><c>relu6</c>: <c>nn.ReLU6</c>.</summary>
    Relu6,
    /// <summary><c>hswish</c>: <c>nn.Hardswish</c>.</summary>
    HardSwish,
    /// <summary><c>hsigmoid</c>: <c>nn.Hardsigmoid</c>.</summary>
    HardSigmoid,
    /// <summary><c>silu</c> and <c>swish</c>: <c>nn.SiLU</c>.</summary>
    SiLU,
    /// <summary><c>sigmoid</c>: <c>nn.Sigmoid</c>.</summary>
    Sigmoid,
    /// <summary><c>gelu</c>: <c>nn.GELU</c>.</summary>
    GELU,
    /// <summary><c>tanh</c>: <c>nn.Tanh</c>.</summary>
    Tanh,
    /// <summary><c>identity</c>: <c>nn.Identity</c>.</summary>
    Identity,
}

/// <summary>Creates the TorchSharp module of an <see cref="Activation"/>.</summary>
public static class Activations
{
    /// <summary>A new module computing <paramref name="activation"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is not a defined value.</exception>
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Relu6 => nn.ReLU6(),
        Activation.HardSwish => nn.Hardswish(),
        Activation.HardSigmoid => nn.Hardsigmoid(),
        Activation.SiLU => nn.SiLU(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.GELU => nn.GELU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Identity => nn.Identity(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };
}
