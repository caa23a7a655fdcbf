using NetDsl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Zoo;

/// <summary>
/// One zoo model checked three ways: the checker's figures the generator put in its class, the parameters
/// TorchSharp counts in the module actually built, and the reference figure of reference.json.
/// </summary>
public sealed record ZooRow(string Name, NetworkFigures? Figures, long? CountedParameters, ReferenceEntry? Reference)
{
    /// <summary>Builds <paramref name="model"/> (released before returning) to count its parameters.</summary>
    public static ZooRow Measure(ModelEntry model, ReferenceEntry? reference)
    {
        using var scope = NewDisposeScope();
        using var module = model.Build();
        var counted = module.parameters().Sum(p => p.numel());
        return new ZooRow(model.Name, model.Figures, counted, reference);
    }

    /// <summary>True when the built module has the checker's parameter count and both figures agree with the reference.</summary>
    public bool Matches => Problems.Count == 0;

    /// <summary>What disagrees, in words (empty when everything matches).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (Figures is null)
                return ["not in the generated zoo"];
            if (Reference is null)
                problems.Add("no reference figure");
            if (CountedParameters != Figures.Parameters)
                problems.Add($"TorchSharp counts {CountedParameters:N0} parameters");
            if (Reference is not null)
            {
                if (Reference.InputText != Figures.Input.ToString())
                    problems.Add($"reference input is {Reference.InputText}");
                if (Reference.CompareParameters(Figures.Parameters) is { Matches: false } parameters)
                    problems.Add($"parameters {parameters.Describe()}");
                if (Reference.CompareMacs(Figures.Macs) is { Matches: false } macs)
                    problems.Add($"MACs {macs.Describe()}");
            }
            return problems;
        }
    }
}
