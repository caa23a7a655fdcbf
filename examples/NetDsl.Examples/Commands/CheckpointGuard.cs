using NetDsl.Examples.Training;
using NetDsl.Runtime;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>
/// Loads a checkpoint only into the model it was trained as. A checkpoint of another network or variant is
/// refused even when its tensors happen to fit (ResNet and ResNet18 are the same layers), and the refusal
/// lists the state-dict keys and shapes that differ.
/// </summary>
public static class CheckpointGuard
{
    /// <returns>The checkpoint's description, or null and why it was refused.</returns>
    public static (CheckpointInfo? Info, string? Refusal) Load(nn.Module module, ModelEntry model, string weightsPath)
    {
        if (!File.Exists(weightsPath))
            return (null, $"no checkpoint at {weightsPath}");
        if (!File.Exists(Checkpoint.SidecarPath(weightsPath)))
            return (null, $"{weightsPath} has no {Path.GetFileName(Checkpoint.SidecarPath(weightsPath))} beside it, so what it was trained as is unknown");

        var info = Checkpoint.ReadInfo(weightsPath);
        var mismatch = CheckpointMismatchException.Compare(weightsPath, StateEntry.Of(module), StateEntry.ReadFrom(weightsPath));
        if (info.Variant != model.Name)
        {
            var layout = mismatch?.Message ?? "its keys and shapes are the same, but the training settings are another model's";
            return (null, $"{weightsPath} was trained as {info.Variant}, not {model.Name}: {layout}");
        }
        if (mismatch is not null)
            return (null, mismatch.Message);
        Checkpoint.Load(module, weightsPath);
        return (info, null);
    }
}
