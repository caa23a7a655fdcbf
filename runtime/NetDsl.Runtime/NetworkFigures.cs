using System.Globalization;
using NetDsl.Runtime.Composition;
using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// The checker's figures for one generated network or variant, at its declared input with its default
/// arguments, as the generator wrote them into the class (<c>MobileNetV2.Figures</c>): what
/// <c>netdsl summary</c> prints for it, available without parsing any <c>.nn</c> file or building the module.
/// </summary>
/// <param name="Name">The network's or variant's name.</param>
/// <param name="Network">The network it is: its own name, or the network a variant derives from.</param>
/// <param name="Variant">The variant's name, or null for a network at its defaults.</param>
/// <param name="Input">The declared input of one sample.</param>
/// <param name="Output">The output of one sample (flat features are <c>n x 1 x 1</c>, see <see cref="LayerFigures.IsFlat"/>).</param>
/// <param name="Parameters">Trainable parameters (batch-norm running statistics are buffers, not counted).</param>
/// <param name="Macs">Multiply-accumulates for one sample.</param>
/// <param name="SizeMiB">fp32 size of the parameters: <c>Parameters × 4 / 2^20</c>.</param>
/// <param name="Layers">The summary's rows in order: each layer and container, with the totals under it.</param>
public sealed record NetworkFigures(
    string Name,
    string Network,
    string? Variant,
    FeatureShape Input,
    FeatureShape Output,
    long Parameters,
    long Macs,
    double SizeMiB,
    IReadOnlyList<LayerFigures> Layers)
{
    /// <summary>The names of the outputs of a network with several (<c>outputs p3, p4</c>), in order; empty when it has one.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>"MobileNetV2: 3,504,872 parameters, 300.77 M MACs, 13.37 MiB at 3x224x224", as <c>netdsl summary</c> ends a table.</summary>
    public string Totals => string.Format(CultureInfo.InvariantCulture,
        "{0}: {1:N0} parameters, {2:F2} M MACs, {3:F2} MiB at {4}", Name, Parameters, Macs / 1e6, SizeMiB, Input);
}

/// <summary>One row of a network's summary: a layer, or a container with the totals of the rows under it.</summary>
/// <param name="Path">The state-dict prefix (<c>stages.1.0.body.0</c>), as in checkpoint keys.</param>
/// <param name="Kind">The checker's kind of row: <c>conv</c>, <c>bn</c>, <c>block</c>, <c>residual</c>, ...</param>
/// <param name="Description">The row as <c>netdsl summary</c> describes it, e.g. <c>conv 1-&gt;24, k3</c>.</param>
/// <param name="Depth">0 for the network's own statements, one more per container above the row.</param>
/// <param name="Output">The output of one sample after this row.</param>
/// <param name="IsFlat">True after <c>flatten</c>: <see cref="Output"/> is then <c>n x 1 x 1</c> and printed as <c>n</c>.</param>
/// <param name="Parameters">Parameters of the row, including those of the rows under it.</param>
/// <param name="Macs">MACs of the row for one sample, including those of the rows under it.</param>
public sealed record LayerFigures(
    string Path,
    string Kind,
    string Description,
    int Depth,
    FeatureShape Output,
    bool IsFlat,
    long Parameters,
    long Macs)
{
    /// <summary>The output as <c>.nn</c> files and the checker write it: <c>24x28x28</c>, or <c>96</c> when flat.</summary>
    public string OutputText => IsFlat ? Output.Channels.ToString(CultureInfo.InvariantCulture) : Output.ToString();
}

/// <summary>A generated network or variant that can be built with its default arguments, and its figures.</summary>
/// <param name="Figures">The checker's figures (the class's static <c>Figures</c>).</param>
/// <param name="Build">Builds a new module with the default arguments, whatever its outputs; the caller disposes it.</param>
public sealed record ModelEntry(NetworkFigures Figures, Func<nn.Module> Build)
{
    /// <summary>The network's or variant's name.</summary>
    public string Name => Figures.Name;

    /// <summary>Whether the network gives several outputs (<c>outputs p3, p4</c>): then <see cref="Build"/> makes an
    /// <see cref="IMultiOutputNetwork"/>, and <see cref="Create"/> does not apply.</summary>
    public bool HasSeveralOutputs => Figures.Outputs.Count > 1;

    /// <summary>Builds a new single-output module with the default arguments; the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The network has several outputs; use <see cref="Build"/>.</exception>
    public SequentialModule Create()
    {
        var module = Build();
        if (module is SequentialModule sequential)
            return sequential;
        module.Dispose();
        throw new InvalidOperationException(
            $"{Name} gives several outputs ({string.Join(", ", Figures.Outputs)}), so it is not a one-output module; build it with Build()");
    }
}
