using System.Text.RegularExpressions;
using NetDsl.Checking;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Language.Tests.Invalid;

/// <summary>
/// Every <c>NNxxxx_name.nn</c> file here starts with <c>// expect: NN0123 at 4:17: message</c> lines (one-based
/// line:column); parsing and checking the file must give exactly those diagnostics.
/// </summary>
public partial class InvalidFileTests
{
    public static TheoryData<string> Files() => new(Directory.GetFiles(Folder(), "*.nn").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public void The_file_gives_exactly_the_expected_diagnostics(string file)
    {
        string text = File.ReadAllText(Path.Combine(Folder(), file));
        var expected = ExpectLine().Matches(text).Select(m => $"{m.Groups[1].Value} at {m.Groups[2].Value}: {m.Groups[3].Value.TrimEnd()}").ToList();
        expected.ShouldNotBeEmpty("the file needs a '// expect: NN0123 at line:col: message' header");
        file.ShouldStartWith(expected[0][..6], customMessage: "the file is named after its first expected code");

        var parsed = Parser.Parse(new SourceText(file, text));
        var result = Checker.Check(new[] { parsed.Tree });
        var actual = parsed.Diagnostics.Concat(result.Diagnostics)
            .Select(d => $"{d.Code} at {d.Location.Start.Line + 1}:{d.Location.Start.Character()}: {d.Message}")
            .ToList();

        actual.ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public void Every_checker_code_has_an_invalid_file()
    {
        var codes = typeof(NetDsl.Diagnostics.DiagnosticCatalog).GetFields()
            .Select(f => f.GetValue(null)).OfType<NetDsl.Diagnostics.DiagnosticDescriptor>()
            .Select(d => d.Code)
            .Where(code => string.CompareOrdinal(code, "NN0100") >= 0 && string.CompareOrdinal(code, "NN0500") < 0 && code != "NN0399")
            .ToList();
        var covered = Directory.GetFiles(Folder(), "*.nn").Select(f => Path.GetFileName(f)[..6]).ToHashSet();

        codes.Where(code => !covered.Contains(code)).ShouldBeEmpty();
    }

    [GeneratedRegex(@"^// expect: (NN\d{4}) at (\d+:\d+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex ExpectLine();

    private static string Folder() => RepositoryPaths.Combine("tests", "NetDsl.Language.Tests", "Invalid");
}

internal static class LinePositionExtensions
{
    public static int Character(this LinePosition position) => position.Column + 1;
}
