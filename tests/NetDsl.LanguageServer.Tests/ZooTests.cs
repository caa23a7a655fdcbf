using NetDsl.LanguageServer.Protocol;

namespace NetDsl.LanguageServer.Tests;

/// <summary>The "done when" of the issue: opening examples/models shows shapes on hover and after each line, and jumps work.</summary>
public sealed class ZooTests
{
    private static readonly string Models = RepositoryPaths.Combine("examples", "models");

    private static Range R(int startLine, int startCharacter, int endLine, int endCharacter) =>
        new(new Position(startLine, startCharacter), new Position(endLine, endCharacter));

    [Fact]
    public async Task MobileNetV2_shows_shapes_on_hover_and_after_each_line_and_jumps_to_its_block()
    {
        string path = Path.Combine(Models, "mobilenet_v2.nn");
        string text = File.ReadAllText(path);
        var document = new { uri = DocumentPaths.ToUri(path) };
        await using var client = await LspClient.InitializedAsync(Models);
        await client.OpenAsync(path, text);

        (await client.DiagnosticsAsync(path)).Diagnostics.ShouldBeEmpty();

        var hover = await client.RequestAsync<Hover>("textDocument/hover", new { textDocument = document, position = text.PositionOf("conv(ch(32)", 1) });
        hover.Contents.Value.ShouldEndWith("""
            **MobileNetV2**
            - `conv 3x3/2, 32` → `32x112x112` · 864 parameters · 10.84 M MACs
            **MobileNetV2_050**
            - `conv 3x3/2, 16` → `16x112x112` · 432 parameters · 5.42 M MACs
            """.Replace("\r\n", "\n").TrimEnd('\n'));

        var hints = await client.RequestAsync<InlayHint[]>("textDocument/inlayHint", new { textDocument = document, range = R(0, 0, 40, 0) });
        hints.Select(h => (h.Position.Line, h.Label)).Take(6).ShouldBe([
            (14, "→ 32x112x112"),
            (18, "→ 16x112x112 | 24x56x56 | 32x28x28 | … (4 more)"),
            (20, "→ 320x7x7"),
            (21, "→ 1280x7x7"),
            (22, "→ 1280"),
            (23, "→ 1000"),
        ]);

        var definition = await client.RequestAsync<Location>("textDocument/definition", new { textDocument = document, position = text.PositionOf("InvertedResidual(ch(c)", 3) });
        definition.ShouldBe(new Location(document.uri, R(26, 6, 26, 22)));
    }

    [Fact]
    public async Task Every_zoo_file_is_clean_and_its_symbols_are_listed()
    {
        await using var client = await LspClient.InitializedAsync(Models);
        var symbols = await client.RequestAsync<SymbolInformation[]>("workspace/symbol", new { query = "" });

        symbols.Select(s => s.Location.Uri).Distinct().Count().ShouldBe(Directory.GetFiles(Models, "*.nn").Length);
        symbols.Select(s => s.Name).ShouldContain("MobileNetV2_050");
        foreach (var file in Directory.GetFiles(Models, "*.nn"))
            await client.OpenAsync(file, File.ReadAllText(file));
        var last = Directory.GetFiles(Models, "*.nn").Order(StringComparer.Ordinal).Last();
        (await client.DiagnosticsAsync(last)).Diagnostics.ShouldBeEmpty();
        client.AllDiagnostics.ShouldAllBe(d => d.Diagnostics.Length == 0);
    }
}
