using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Inference;

/// <summary>An activation that runs in place on the output of the layer before it.</summary>
internal enum FusedActivation
{
    None,
    Relu,
    Relu6,
    HardSwish,
    SiLU,
}

internal static class FusedActivations
{
    /// <summary>The in-place form of <paramref name="module"/>, or null when it has none worth fusing.</summary>
    public static FusedActivation? Of(nn.Module module) => module switch
    {
        ReLU => FusedActivation.Relu,
        ReLU6 => FusedActivation.Relu6,
        Hardswish => FusedActivation.HardSwish,
        SiLU => FusedActivation.SiLU,
        _ => null,
    };

    /// <summary>Applies <paramref name="activation"/> to <paramref name="features"/> in place (a tensor the caller owns).</summary>
    public static Tensor ApplyInPlace(this FusedActivation activation, Tensor features)
    {
        var result = activation switch
        {
            FusedActivation.Relu => features.relu_(),
            FusedActivation.Relu6 => features.relu6_(),
            FusedActivation.HardSwish => features.hardswish_(),
            FusedActivation.SiLU => features.silu_(),
            _ => features,
        };
        return InPlace.Keep(features, result);
    }
}

/// <summary>In-place operations may hand back a second handle to the same tensor: keep one, release the other.</summary>
internal static class InPlace
{
    public static Tensor Keep(Tensor target, Tensor result)
    {
        if (!ReferenceEquals(result, target))
            result.Dispose();
        return target;
    }
}
