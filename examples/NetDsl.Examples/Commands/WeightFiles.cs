using System.CommandLine;
using NetDsl.Examples.Training;
using NetDsl.Runtime;
using NetDsl.Runtime.Interop;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary>Weights that were loaded, and what they were.</summary>
/// <param name="Description">For messages: "epoch 3 of runs/X/X.ckpt" or "resnet18.pt, mapped by structure".</param>
/// <param name="Info">The program's own checkpoint description; null for PyTorch and safetensors files.</param>
/// <param name="Map">How a PyTorch or safetensors file's entries were matched; null for the program's own checkpoints.</param>
public sealed record LoadedWeights(string Description, CheckpointInfo? Info, WeightMap? Map);

/// <summary>
/// Every weights file the commands accept: PyTorch's <c>.pt</c>/<c>.pth</c> and <c>.safetensors</c> (by name, or by
/// structure for other names such as torchvision's: NetDsl.Runtime.Interop), and the program's own checkpoints
/// (<see cref="Checkpoint"/>). Nothing is loaded unless all of it fits.
/// </summary>
public static class WeightFiles
{
    public const string Accepted = ".pt/.pth (torch.save of a state dict), .safetensors, or a checkpoint written by `train`";

    /// <summary>--show-map: print how a PyTorch or safetensors file's entries map onto the model.</summary>
    public static Option<bool> ShowMapOption() => new("--show-map") { Description = "print which file entry fills which parameter or buffer (PyTorch and safetensors files)" };

    /// <returns>What was loaded, or null and why not (one line).</returns>
    public static (LoadedWeights? Weights, string? Refusal) Load(nn.Module module, ModelEntry model, string path, IAnsiConsole? showMapTo = null)
    {
        if (WeightFormats.FromPath(path) is not { } format)
        {
            try
            {
                var info = Checkpoint.Load(path, module, model.Name);
                return (new LoadedWeights($"epoch {info.Epoch} of {path}", info, null), null);
            }
            catch (CheckpointException e)
            {
                return (null, e.Message);
            }
        }
        if (!File.Exists(path))
            return (null, $"no file at {path}");
        try
        {
            WeightMap map;
            using (var stream = File.OpenRead(path))
                map = PyTorchWeights.Load(module, stream, format, Path.GetFileName(path));
            if (showMapTo is not null)
                showMapTo.WriteLine(map.Describe());
            var how = map.Mode == WeightMapMode.ByName ? "by name" : "by structure";
            return (new LoadedWeights($"{path}, mapped {how}", null, map), null);
        }
        catch (Exception e) when (e is InteropFormatException or WeightMismatchException or IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }
}
