using NetDsl.Examples.Models;
using NetDsl.Runtime;

namespace NetDsl.Examples.Zoo;

/// <summary>
/// The zoo by name: every network and variant of examples/models/*.nn that builds with its defaults, as the
/// generator lists them in <see cref="NetDslModels"/> (figures + factory), so a new .nn model needs no code here.
/// </summary>
public sealed class ModelCatalog(IReadOnlyList<ModelEntry> models)
{
    public static ModelCatalog Default { get; } = new(NetDslModels.All);

    public IReadOnlyList<ModelEntry> Models { get; } = models;

    public IEnumerable<string> Names => Models.Select(m => m.Name);

    public ModelEntry? Find(string name) => Models.FirstOrDefault(m => m.Name == name);

    /// <summary>"unknown model 'MultiPathNet_Digit'; did you mean 'MultiPathNet_Digits'? Models: ..."</summary>
    public string UnknownModelMessage(string name)
    {
        var suggestions = NameSuggestions.Closest(name, Names);
        var hint = suggestions.Count == 0 ? "." : $"; did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?";
        return $"unknown model '{name}'{hint} The zoo has: {string.Join(", ", Names)}";
    }
}
