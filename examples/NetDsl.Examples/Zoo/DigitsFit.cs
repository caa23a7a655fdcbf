using System.Runtime.InteropServices;
using NetDsl.Runtime;
using static TorchSharp.torch;

namespace NetDsl.Examples.Zoo;

/// <summary>
/// Decides whether a zoo model can be trained on the digits (1x28x28, 10 classes) as it is: the same input
/// channels and 10 outputs; and either the declared 28x28 input, or a network that is size-agnostic (one
/// 1x28x28 sample goes through the built module and gives 10 logits, e.g. convolutions then a global pool).
/// Anything else needs a variant, since a network's first convolution and classifier are fixed at build time.
/// </summary>
public static class DigitsFit
{
    public static readonly FeatureShape Input = new(1, 28, 28);

    public const int Classes = 10;

    /// <returns>Null when <paramref name="model"/> fits; otherwise why not and which models do.</returns>
    public static string? WhyNot(ModelEntry model, IEnumerable<ModelEntry> zoo)
    {
        var problem = Problem(model);
        if (problem is null)
            return null;
        var fitting = zoo.Where(m => m != model && Problem(m) is null).Select(m => m.Name).ToList();
        var example = fitting.Count == 0 ? "" : $" (e.g. {string.Join(", ", fitting)})";
        return $"{model.Name} {problem}; digits are {Input} with {Classes} classes: use a variant with " +
               $"`input {Input}` and `classes: {Classes}`{example}";
    }

    /// <summary>What stands in the way ("expects 3x224x224 and gives 1000 outputs"), or null.</summary>
    private static string? Problem(ModelEntry model)
    {
        var figures = model.Figures;
        var classes = figures.Output.Height == 1 && figures.Output.Width == 1 ? figures.Output.Channels : -1;
        var sameChannels = figures.Input.Channels == Input.Channels;
        var sameSize = figures.Input.Height == Input.Height && figures.Input.Width == Input.Width;
        if (sameChannels && classes == Classes && (sameSize || RunsOnDigitSizedInput(model)))
            return null;
        var outputs = classes > 0 ? $"{classes} outputs" : $"output {figures.Output}";
        return sameChannels && classes == Classes
            ? $"expects {figures.Input} and does not run on {Input.Height}x{Input.Width} images"
            : $"expects {figures.Input} and gives {outputs}";
    }

    /// <summary>Builds the model and sends one digit-sized sample through it: does it give [1, 10]?</summary>
    private static bool RunsOnDigitSizedInput(ModelEntry model)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        try
        {
            using var module = model.Create();
            module.eval();
            var logits = module.call(zeros(1, Input.Channels, Input.Height, Input.Width));
            return logits.shape.SequenceEqual([1L, Classes]);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException)
        {
            return false;
        }
    }
}
