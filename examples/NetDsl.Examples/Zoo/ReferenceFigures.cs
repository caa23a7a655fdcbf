using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetDsl.Examples.Zoo;

/// <summary>
/// One entry of examples/models/reference.json: the published (or measured) figures a zoo network must
/// reproduce, and how far a rounded paper figure may be from ours.
/// </summary>
public sealed record ReferenceEntry(
    string Name,
    long[] Input,
    long Parameters,
    long Macs,
    double ParametersTolerance,
    double MacsTolerance,
    string Source)
{
    public string InputText => string.Join("x", Input);

    public FigureComparison CompareParameters(long actual) => new(actual, Parameters, ParametersTolerance);

    public FigureComparison CompareMacs(long actual) => new(actual, Macs, MacsTolerance);
}

/// <summary>A figure of ours against a reference: exact when the tolerance is 0, else within <c>tolerance × reference</c>.</summary>
public readonly record struct FigureComparison(long Actual, long Reference, double Tolerance)
{
    public bool Matches => Tolerance == 0 ? Actual == Reference : Math.Abs(Actual - Reference) <= Tolerance * Reference;

    /// <summary>"exact", or "+0.76 % (±1.19 %)".</summary>
    public string Describe() => Actual == Reference
        ? "exact"
        : $"{(Actual - Reference) * 100.0 / Reference:+0.00;-0.00} % (±{Tolerance * 100:0.##} %)";
}

/// <summary>Reads reference.json, which the build copies beside the program under <c>models/</c>.</summary>
public static class ReferenceFigures
{
    public const string FileName = "reference.json";

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "models", FileName);

    /// <summary>The entries by network name, in the file's order.</summary>
    public static IReadOnlyList<ReferenceEntry> Load(string? path = null)
    {
        path ??= DefaultPath;
        var entries = JsonSerializer.Deserialize<Dictionary<string, JsonEntry>>(File.ReadAllText(path))
                      ?? throw new InvalidDataException($"{path} holds no reference figures");
        return entries.Select(e => new ReferenceEntry(
            e.Key, e.Value.Input, e.Value.Params, e.Value.Macs, e.Value.ParamsTolerance, e.Value.MacsTolerance, e.Value.Source)).ToList();
    }

    private sealed record JsonEntry(
        [property: JsonPropertyName("input")] long[] Input,
        [property: JsonPropertyName("params")] long Params,
        [property: JsonPropertyName("macs")] long Macs,
        [property: JsonPropertyName("params_tolerance")] double ParamsTolerance,
        [property: JsonPropertyName("macs_tolerance")] double MacsTolerance,
        [property: JsonPropertyName("source")] string Source);
}
