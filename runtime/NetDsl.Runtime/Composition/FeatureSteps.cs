using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Composition;

/// <summary>
/// One step of a <see cref="FeatureModule{TInput, TOutput}"/>, in the order its forward runs them. Tools that
/// rebuild or translate a module (ForInference, the ONNX exporter) read the steps through <see cref="IFeatureGraph"/>.
/// </summary>
/// <remarks>While a module runs, it holds the <i>current features</i> (one tensor, or a bundle of several) and
/// numbered <i>slots</i> (the named feature maps of a declaration); each step reads and replaces them.</remarks>
public abstract record FeatureStep
{
    // Only the step kinds below exist: the runner, ForInference and the exporter each handle every one of them.
    private protected FeatureStep() { }
}

/// <summary><c>Append</c>: <see cref="Module"/>, registered as <see cref="Name"/>, runs on each current feature
/// (one module with shared weights when there are several).</summary>
/// <param name="Name">The registered name (state-dict prefix).</param>
/// <param name="Module">The module.</param>
public sealed record ApplyStep(string Name, nn.Module<Tensor, Tensor> Module) : FeatureStep;

/// <summary><c>AppendBlock</c>: all current features, in order, go into <see cref="Block"/>; its outputs become the
/// current features.</summary>
/// <param name="Name">The registered name (state-dict prefix).</param>
/// <param name="Block">The block.</param>
public sealed record BlockStep(string Name, GraphBlock Block) : FeatureStep;

/// <summary><c>Keep</c> (<c>-&gt; a, b</c>): slot <c>Slots[i]</c> takes current feature i; the current features
/// stay as they are.</summary>
/// <param name="Slots">One slot per current feature.</param>
public sealed record KeepStep(IReadOnlyList<int> Slots) : FeatureStep;

/// <summary><c>Recall</c> (<c>from a, b</c>): the current features become the tensors of <see cref="Slots"/>, in order.</summary>
/// <param name="Slots">The slots read.</param>
public sealed record RecallStep(IReadOnlyList<int> Slots) : FeatureStep;

/// <summary><c>Merge</c>: the current feature becomes <c>Merge(tensors of Slots)</c>.</summary>
/// <param name="Name">The registered name of the merge module (state-dict prefix).</param>
/// <param name="Merge">The merge module (<see cref="FeatureSum"/>, <see cref="FeatureConcat"/>, <see cref="WeightedFusion"/>, …).</param>
/// <param name="Slots">The slots merged, in order.</param>
public sealed record MergeStep(string Name, nn.Module<IReadOnlyList<Tensor>, Tensor> Merge, IReadOnlyList<int> Slots) : FeatureStep;

/// <summary><c>ResizeTo</c>: each current feature is interpolated to the height and width of the tensor in
/// <see cref="Slot"/> (nearest, or bilinear with <c>align_corners=false</c>); a feature of that size already is
/// left as it is.</summary>
/// <param name="Slot">The slot whose spatial size is the target.</param>
/// <param name="Bilinear">Bilinear rather than nearest interpolation.</param>
public sealed record ResizeStep(int Slot, bool Bilinear) : FeatureStep;
