using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// A residual connection (He et al. 2016): <c>body(x) + x</c>, or <c>body(x) + shortcut(x)</c> when a
/// shortcut is given.
/// </summary>
/// <remarks>
/// The body's output must have exactly the shape of the shortcut's (or of the input, without a
/// shortcut). When the body changes channels or stride, pass a projection shortcut, typically
/// ResNet's <c>nn.Sequential(nn.Conv2d(in, out, 1, stride: s, bias: false), nn.BatchNorm2d(out))</c>.
/// Sub-modules: <c>body</c>, and <c>shortcut</c> only when one is given. No parameters of its own.
/// </remarks>
public sealed class Residual : nn.Module<Tensor, Tensor>
{
    // Field names are the registered sub-module names; a null shortcut is not registered.
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor>? shortcut;

    /// <summary>Whether the block has a shortcut module (false: identity shortcut).</summary>
    public bool HasShortcut => shortcut is not null;

    /// <summary>Creates a residual block.</summary>
    /// <param name="body">The residual branch; registered as <c>body</c>.</param>
    /// <param name="shortcut">The shortcut branch, registered as <c>shortcut</c>; null for the identity.</param>
    public Residual(nn.Module<Tensor, Tensor> body, nn.Module<Tensor, Tensor>? shortcut = null) : base(nameof(Residual))
    {
        ArgumentNullException.ThrowIfNull(body);
        this.body = body;
        this.shortcut = shortcut;
        RegisterComponents();
    }

    /// <summary>Returns <c>body(x) + (shortcut?.call(x) ?? x)</c>.</summary>
    /// <exception cref="ArgumentException">The two branches give different shapes; the message names both.</exception>
    public override Tensor forward(Tensor input)
    {
        Tensor? main = null, side = null;
        try
        {
            main = body.call(input);
            side = shortcut is null ? input : shortcut.call(input);
            if (!BlockSupport.SameShape(main, side))
                throw new ArgumentException(
                    $"residual: the body gives {BlockSupport.Format(main.shape)} but the " +
                    $"{(shortcut is null ? "identity shortcut" : "shortcut")} gives {BlockSupport.Format(side.shape)}; " +
                    "they must be equal" + (shortcut is null ? " (a projection shortcut can change channels and stride)" : ""));
            return main.add(side);
        }
        finally
        {
            BlockSupport.DisposeAllExcept((ReadOnlySpan<Tensor?>)[main, side], input);
        }
    }
}
