using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Checking;

/// <summary>Parses and checks .nn text in tests.</summary>
internal static class Check
{
    public static CheckResult Text(params string[] files)
    {
        var trees = files.Select((text, i) =>
        {
            var parsed = Parser.Parse(new SourceText($"file{i}.nn", text));
            parsed.Diagnostics.ShouldBeEmpty($"the test's .nn text should parse: {string.Join("; ", parsed.Diagnostics)}");
            return parsed.Tree;
        }).ToList();
        return Checker.Check(trees);
    }

    /// <summary>Checks text that must have no diagnostics at all.</summary>
    public static CheckResult Clean(params string[] files)
    {
        var result = Text(files);
        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        return result;
    }

    public static NetworkReport Network(this CheckResult result, string name) => result.Networks.Single(n => n.Name == name);

    public static LayerReport Layer(this NetworkReport network, string path) => network.Layers.Single(l => l.Path == path);
}
