using System.Text;
using CsCheck;
using NetDsl.LanguageServer.Protocol;

namespace NetDsl.LanguageServer.Tests;

/// <summary>Bad input never kills the server: random and mutated buffers, edits anywhere, huge files.</summary>
public sealed class RobustnessTests : IDisposable
{
    private static readonly string[] Inserts =
        ["(", ")", "{", "}", "0", "-1", "x", ",", "in", "channels", "relu", "div", "/", "..", "?", "1e9", "conv(8)", "path { }", "[", "]",
         "\n", "//", "/*", "*/", ":", "as", "let q = ", "repeat 3 { ", "é", "\t", "MobileNetV2", "InvertedResidual(", "\r\n"];

    private readonly TempWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private static Range R(int startLine, int startCharacter, int endLine, int endCharacter) =>
        new(new Position(startLine, startCharacter), new Position(endLine, endCharacter));

    /// <summary>One random edit as an editor sends it: a range (possibly past the end of a line or the file) and new text.</summary>
    private static readonly Gen<TextDocumentContentChangeEvent> Edit =
        Gen.Select(Gen.Int[0, 45], Gen.Int[0, 120], Gen.Int[0, 3], Gen.Int[0, 30], Gen.OneOf(Gen.Int[0, Inserts.Length - 1].Select(i => Inserts[i]), Gen.String[Gen.Char, 0, 8]))
            .Select((line, character, lines, length, text) => new TextDocumentContentChangeEvent(R(line, character, line + lines, length), text));

    [Fact]
    public async Task Random_edits_to_zoo_files_as_didChange_sequences_never_break_the_server()
    {
        string zoo = RepositoryPaths.Combine("examples", "models");
        var sources = Directory.GetFiles(zoo, "*.nn").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
        string path = workspace.Write("edited.nn", "");
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        int version = 0;

        var sequences = Gen.Select(Gen.Int[0, sources.Length - 1], Edit.Array[1, 6], Gen.Int[0, 60], Gen.Int[0, 80]);
        await sequences.SampleAsync(async (source, edits, line, character) =>
        {
            await client.OpenAsync(path, sources[source], ++version);
            foreach (var edit in edits)
                await client.ChangeAsync(path, ++version, edit);
            var at = new { textDocument = new { uri = DocumentPaths.ToUri(path) }, position = new Position(line, character) };
            await client.RequestAsync<Hover?>("textDocument/hover", at);
            await client.RequestAsync<Location?>("textDocument/definition", at);
            await client.RequestAsync<CompletionList>("textDocument/completion", at);
            await client.RequestAsync<SignatureHelp?>("textDocument/signatureHelp", at);
            await client.RequestAsync<Location[]>("textDocument/references", at);
            await client.RequestAsync<InlayHint[]>("textDocument/inlayHint", new { textDocument = at.textDocument, range = R(0, 0, 1000, 0) });
            await client.RequestAsync<DocumentSymbol[]>("textDocument/documentSymbol", new { textDocument = at.textDocument });
            await client.RequestAsync<TextEdit[]>("textDocument/formatting", new { textDocument = at.textDocument, options = new { tabSize = 4, insertSpaces = true } });
            await client.NotifyAsync("textDocument/didClose", new { textDocument = at.textDocument });
        }, iter: 60, threads: 1);

        // Still alive, and still right: a clean buffer gets its (empty) diagnostics published.
        await client.OpenAsync(path, "network N {\n    input 3x8x8\n    conv(8)\n}\n", ++version);
        int last = version;
        (await client.DiagnosticsAsync(path, d => d.Version == last)).Diagnostics.ShouldBeEmpty();
        (await client.ShutdownAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Random_characters_typed_one_at_a_time_are_each_analysed_or_superseded()
    {
        string path = workspace.Write("typed.nn", "");
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(path, "", 1);
        var typed = Gen.Char["(){}[],:?=!<>+-*/%^.&|x \nabcnetworkblockconv0123"].Array[1, 300];
        var text = new StringBuilder();
        int version = 1;
        await typed.SampleAsync(async characters =>
        {
            foreach (char c in characters)
            {
                // Typed at the end of the buffer, one character per change, as fast as the client can send.
                var end = new TextPositions(text.ToString()).ToPosition(text.Length);
                text.Append(c);
                await client.ChangeAsync(path, ++version, new TextDocumentContentChangeEvent(new Range(end, end), c.ToString()));
            }
        }, iter: 5, threads: 1);

        int last = version;
        var published = await client.DiagnosticsAsync(path, d => d.Version == last);
        // The diagnostics are those of the text as typed (the server applied every incremental change in order).
        var expected = new Workspace();
        expected.Open(path, DocumentPaths.ToUri(path), last, text.ToString());
        published.Diagnostics.Select(d => d.Code).ShouldBe(expected.Analyze().DiagnosticsOf(path).Select(d => d.Code));
    }

    [Fact]
    public async Task A_huge_file_is_analysed_without_harm()
    // 10,000 lines (30,000 layers, 270 KB), then a 600 KB line of unbalanced brackets.
    {
        var huge = new StringBuilder("network Huge {\n    input 3x32x32\n");
        for (int i = 0; i < 10_000; i++)
            huge.Append("    conv(8, k: 3) bn relu\n");
        huge.Append("}\n");
        string path = workspace.Write("huge.nn", "");
        string garbage = new string('(', 200_000) + string.Concat(Enumerable.Repeat("conv(8) ", 50_000));
        await using var client = await LspClient.InitializedAsync(workspace.Root);

        await client.OpenAsync(path, huge.ToString(), 1);
        var published = await client.DiagnosticsAsync(path, d => d.Version == 1);
        published.Diagnostics.ShouldBeEmpty();
        var hover = await client.RequestAsync<Hover?>("textDocument/hover", new { textDocument = new { uri = DocumentPaths.ToUri(path) }, position = new Position(9_000, 6) });
        hover.ShouldNotBeNull().Contents.Value.ShouldContain("```\n2-D convolution\n\n**Huge**\n- `conv 3x3, 8` → `8x32x32` · 576 parameters · 589,824 MACs");

        await client.ChangeAsync(path, 2, new TextDocumentContentChangeEvent(null, garbage));
        (await client.DiagnosticsAsync(path, d => d.Version == 2)).Diagnostics.ShouldNotBeEmpty();
        (await client.ShutdownAsync()).ShouldBe(0);
    }
}
