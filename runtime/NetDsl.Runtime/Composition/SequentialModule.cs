using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// The base of every generated network and block, and the container of a labelled group, a path or a
/// residual body: named children run in the order they were appended, like <c>nn.Sequential</c>.
/// </summary>
/// <remarks>
/// Children are registered under the label given, or else under the next number of the unlabelled ones
/// (<c>"0"</c>, <c>"1"</c>, …), so state-dict keys follow docs/language.md and the checker's report.
/// </remarks>
public class SequentialModule : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> steps = new();
    private int unlabelledCount;

    /// <summary>Creates an empty sequence.</summary>
    /// <param name="name">The module's name (TorchSharp's <c>Module.GetName()</c>).</param>
    public SequentialModule(string name) : base(name) { }

    /// <summary>The number of children appended so far.</summary>
    public int Count => steps.Count;

    /// <summary>The shape of one sample entering the module (set by generated constructors).</summary>
    public FeatureShape InputShape { get; protected set; }

    /// <summary>The shape of one sample leaving the module (set by generated constructors).</summary>
    public FeatureShape OutputShape { get; protected set; }

    /// <summary>Appends <paramref name="module"/> under the next number of the unlabelled children.</summary>
    /// <returns><paramref name="module"/>, so a caller can read its output shape.</returns>
    public T Append<T>(T module) where T : nn.Module<Tensor, Tensor> =>
        Append((unlabelledCount++).ToString(CultureInfo.InvariantCulture), module);

    /// <summary>Appends <paramref name="module"/> under <paramref name="name"/> (a label).</summary>
    /// <returns><paramref name="module"/>.</returns>
    public T Append<T>(string name, T module) where T : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(module);
        register_module(name, module);
        steps.Add(module);
        return module;
    }

    /// <summary>Runs the children in order; intermediate tensors are disposed as soon as they are consumed.</summary>
    public override Tensor forward(Tensor input)
    {
        var features = input;
        foreach (var child in steps)
        {
            var next = child.call(features);
            if (!ReferenceEquals(features, input) && !ReferenceEquals(features, next))
                features.Dispose();
            features = next;
        }
        // Callers own what forward returns, so never hand back the caller's own tensor.
        return ReferenceEquals(features, input) ? input.alias() : features;
    }
}
