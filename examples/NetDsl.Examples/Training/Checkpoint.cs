using System.Text.Json;
using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>
/// Saves and restores a module's weights (TorchSharp's state-dict format) together with a JSON
/// sidecar, <c>&lt;weights&gt;.json</c>, that records what was trained and how it went.
/// </summary>
public static class Checkpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string SidecarPath(string weightsPath) => weightsPath + ".json";

    public static void Save(nn.Module module, string weightsPath, CheckpointInfo info)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(weightsPath)) is { } directory)
            Directory.CreateDirectory(directory);
        module.save(weightsPath);
        File.WriteAllText(SidecarPath(weightsPath), JsonSerializer.Serialize(info, Json));
    }

    /// <summary>Reads the sidecar alone, e.g. to list checkpoints.</summary>
    public static CheckpointInfo ReadInfo(string weightsPath)
    {
        var sidecar = SidecarPath(weightsPath);
        if (!File.Exists(sidecar))
            throw new FileNotFoundException($"checkpoint sidecar not found: {sidecar}", sidecar);
        return JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllText(sidecar), Json)
               ?? throw new InvalidDataException($"{Path.GetFileName(sidecar)} holds no checkpoint description");
    }

    /// <summary>
    /// Loads the weights at <paramref name="weightsPath"/> into <paramref name="module"/>, after checking that
    /// every parameter and buffer name, shape and element type matches; the module is untouched otherwise.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Lists the missing, unexpected and differently shaped entries.</exception>
    public static CheckpointInfo Load(nn.Module module, string weightsPath)
    {
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"checkpoint not found: {weightsPath}", weightsPath);
        var info = ReadInfo(weightsPath);
        var mismatch = CheckpointMismatchException.Compare(weightsPath, StateEntry.Of(module), StateEntry.ReadFrom(weightsPath));
        if (mismatch is not null)
            throw mismatch;
        module.load(weightsPath, strict: true);
        return info;
    }
}
