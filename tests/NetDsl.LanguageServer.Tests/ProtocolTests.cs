using NetDsl.LanguageServer.Protocol;
using StreamJsonRpc;

namespace NetDsl.LanguageServer.Tests;

/// <summary>The server driven as an editor drives it, over the protocol, asserting exact positions and texts.</summary>
public sealed class ProtocolTests : IDisposable
{
    private const string UnitFile = """
        // A plain conv-bn-relu unit.
        // Stride 2 halves the size.
        block Unit(out: int, s: int = 1) {
            conv(out, k: 3, s: s) bn relu
        }

        """;

    private const string TinyFile = """
        network Tiny(classes: int = 10, width: float = 1.0) {
            input 1x28x28
            let ch(c) = divisible(c * width, 8)
            stem: { conv(ch(16), k: 3) bn relu }
            Unit(ch(32), s: 2)
            avgpool flatten linear(classes) as head
        }

        variant TinyWide = Tiny(width: 2.0)

        """;

    private readonly TempWorkspace workspace = new();
    private readonly string unitPath;
    private readonly string tinyPath;

    public ProtocolTests()
    {
        unitPath = workspace.Write("unit.nn", UnitFile.Replace("\r\n", "\n"));
        tinyPath = workspace.Write("tiny.nn", TinyFile.Replace("\r\n", "\n"));
    }

    public void Dispose() => workspace.Dispose();

    private static string Unit => UnitFile.Replace("\r\n", "\n");

    private static string Tiny => TinyFile.Replace("\r\n", "\n");

    private static Range R(int startLine, int startCharacter, int endLine, int endCharacter) =>
        new(new Position(startLine, startCharacter), new Position(endLine, endCharacter));

    private static object At(string path, Position position) => new { textDocument = new { uri = DocumentPaths.ToUri(path) }, position };

    [Fact]
    public async Task Initialize_announces_what_the_server_can_do_and_shutdown_then_exit_ends_with_zero()
    {
        var client = LspClient.Start();
        var result = await client.RequestAsync<InitializeResult>("initialize", new { processId = (int?)null, rootUri = DocumentPaths.ToUri(workspace.Root), capabilities = new { } });

        result.ServerInfo.Name.ShouldBe("netdsl");
        var capabilities = result.Capabilities;
        capabilities.TextDocumentSync.ShouldBe(new TextDocumentSyncOptions(true, 2, new SaveOptions(false)));
        capabilities.HoverProvider.ShouldBeTrue();
        capabilities.DefinitionProvider.ShouldBeTrue();
        capabilities.ReferencesProvider.ShouldBeTrue();
        capabilities.RenameProvider.PrepareProvider.ShouldBeTrue();
        capabilities.CompletionProvider.TriggerCharacters.ShouldBe(["(", ",", ":", " "]);
        capabilities.SignatureHelpProvider.TriggerCharacters.ShouldBe(["(", ","]);
        capabilities.DocumentSymbolProvider.ShouldBeTrue();
        capabilities.WorkspaceSymbolProvider.ShouldBeTrue();
        capabilities.DocumentFormattingProvider.ShouldBeTrue();
        capabilities.InlayHintProvider.ShouldBeTrue();

        (await client.ShutdownAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Opening_a_file_publishes_the_build_diagnostics_and_fixing_it_clears_them()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        string broken = Tiny.Replace("linear(classes)", "linear(clases)");

        await client.OpenAsync(tinyPath, broken, version: 1);
        var published = await client.DiagnosticsAsync(tinyPath, d => d.Version == 1);

        published.Diagnostics.ShouldBe([
            new Diagnostic(R(5, 27, 5, 33), 1, "NN0101", "netdsl", "unknown name 'clases'; did you mean 'classes'?"),
        ]);

        // The editor sends the fix as an incremental change: replace "clases" by "classes".
        await client.ChangeAsync(tinyPath, 2, new TextDocumentContentChangeEvent(R(5, 27, 5, 33), "classes"));
        var fixedDiagnostics = await client.DiagnosticsAsync(tinyPath, d => d.Version == 2);
        fixedDiagnostics.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_workspace_is_one_program_so_an_edit_to_a_block_shows_errors_where_it_is_used()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(unitPath, Unit, version: 1);
        await client.DiagnosticsAsync(unitPath, d => d.Version == 1);

        // Renaming the parameter `s` (not its use in tiny.nn) leaves tiny.nn's named argument `s:` unknown there,
        // although tiny.nn is not open.
        await client.ChangeAsync(unitPath, 2, new TextDocumentContentChangeEvent(R(2, 21, 2, 22), "stride"), new TextDocumentContentChangeEvent(R(3, 23, 3, 24), "stride"));
        var inTiny = await client.DiagnosticsAsync(tinyPath, d => d.Diagnostics.Length > 0);

        inTiny.Version.ShouldBeNull();
        inTiny.Diagnostics.Select(d => (d.Range, d.Code)).ShouldBe([(R(4, 17, 4, 18), "NN0103")]);
        inTiny.Diagnostics[0].Message.ShouldBe("block 'Unit' has no argument 's'");
    }

    [Fact]
    public async Task Hover_on_a_layer_shows_its_rows_at_the_defaults_and_where_a_variant_differs()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        var hover = await client.RequestAsync<Hover>("textDocument/hover", At(tinyPath, Tiny.PositionOf("conv(ch(16)", 1)));

        hover.Range.ShouldBe(R(3, 12, 3, 16));
        hover.Contents.Kind.ShouldBe("markdown");
        hover.Contents.Value.ShouldBe("""
            ```netdsl
            conv(out, k: 1, s: 1, pad: dilation*(k-1)/2, dilation: 1, groups: 1, bias: auto)
            ```
            2-D convolution

            **Tiny**
            - `conv 3x3, 16` → `16x28x28` · 144 parameters · 112,896 MACs
            **TinyWide**
            - `conv 3x3, 32` → `32x28x28` · 288 parameters · 225,792 MACs
            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Hover_on_a_block_use_shows_the_signature_the_comment_above_and_the_rows()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        var hover = await client.RequestAsync<Hover>("textDocument/hover", At(tinyPath, Tiny.PositionOf("Unit(ch(32)", 2)));

        hover.Range.ShouldBe(R(4, 4, 4, 8));
        hover.Contents.Value.ShouldBe("""
            ```netdsl
            block Unit(out: int, s: int = 1)
            ```

            A plain conv-bn-relu unit.  
            Stride 2 halves the size.

            **Tiny**
            - `Unit(32, s: 2)` → `32x14x14` · 4,672 parameters · 903,168 MACs
            **TinyWide**
            - `Unit(64, s: 2)` → `64x14x14` · 18,560 parameters · 3.61 M MACs
            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Hover_on_a_network_shows_its_totals_and_on_a_name_what_declares_it()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        var network = await client.RequestAsync<Hover>("textDocument/hover", At(tinyPath, Tiny.PositionOf("Tiny(", 1)));
        network.Contents.Value.ShouldBe("""
            ```netdsl
            network Tiny(classes: int = 10, width: float = 1.0)
            ```

            **Tiny**: `1x28x28` → `10` · 5,178 parameters · 1.02 M MACs · 0.02 MiB
            """.Replace("\r\n", "\n"));

        var name = await client.RequestAsync<Hover>("textDocument/hover", At(tinyPath, Tiny.PositionOf("width,", 1)));
        name.Range.ShouldBe(R(2, 30, 2, 35));
        name.Contents.Value.ShouldBe("parameter `width`: float\n```netdsl\nwidth: float = 1.0\n```");
    }

    [Fact]
    public async Task Definition_references_and_rename_work_across_files()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);
        string unitUri = DocumentPaths.ToUri(unitPath), tinyUri = DocumentPaths.ToUri(tinyPath);

        var definition = await client.RequestAsync<Location>("textDocument/definition", At(tinyPath, Tiny.PositionOf("Unit(")));
        definition.ShouldBe(new Location(unitUri, R(2, 6, 2, 10)));

        // The named argument `s:` of the block use refers to the block's parameter.
        var parameter = await client.RequestAsync<Location>("textDocument/definition", At(tinyPath, Tiny.PositionOf("s: 2")));
        parameter.ShouldBe(new Location(unitUri, R(2, 21, 2, 22)));

        var references = await client.RequestAsync<Location[]>("textDocument/references",
            new { textDocument = new { uri = unitUri }, position = new Position(2, 8), context = new { includeDeclaration = true } });
        references.ShouldBe([new Location(tinyUri, R(4, 4, 4, 8)), new Location(unitUri, R(2, 6, 2, 10))], ignoreOrder: true);

        var prepared = await client.RequestAsync<PrepareRenameResult>("textDocument/prepareRename", At(unitPath, new Position(2, 8)));
        prepared.ShouldBe(new PrepareRenameResult(R(2, 6, 2, 10), "Unit"));

        var edit = await client.RequestAsync<WorkspaceEdit>("textDocument/rename",
            new { textDocument = new { uri = unitUri }, position = new Position(2, 22), newName = "stride" });
        edit.Changes.Keys.ShouldBe([unitUri, tinyUri], ignoreOrder: true);
        edit.Changes[unitUri].ShouldBe([new TextEdit(R(2, 21, 2, 22), "stride"), new TextEdit(R(3, 23, 3, 24), "stride")]);
        edit.Changes[tinyUri].ShouldBe([new TextEdit(R(4, 17, 4, 18), "stride")]);

        var let = await client.RequestAsync<WorkspaceEdit>("textDocument/rename", new { textDocument = new { uri = tinyUri }, position = Tiny.PositionOf("ch(c)"), newName = "channels_of" });
        let.Changes[tinyUri].Select(e => e.Range).ShouldBe([R(2, 8, 2, 10), R(3, 17, 3, 19), R(4, 9, 4, 11)]);

        var bad = await Should.ThrowAsync<RemoteInvocationException>(() =>
            client.RequestAsync<WorkspaceEdit>("textDocument/rename", new { textDocument = new { uri = tinyUri }, position = Tiny.PositionOf("ch(c)"), newName = "repeat" }));
        bad.Message.ShouldBe("'repeat' is a keyword of the language");

        // Built-ins have no definition and cannot be renamed.
        (await client.RequestAsync<Location?>("textDocument/definition", At(tinyPath, Tiny.PositionOf("bn")))).ShouldBeNull();
        (await client.RequestAsync<PrepareRenameResult?>("textDocument/prepareRename", At(tinyPath, Tiny.PositionOf("bn")))).ShouldBeNull();
    }

    private const string PyramidFile = """
        network Pyramid {
            input 3x32x32
            conv(8, k: 3) -> fine
            conv(8, k: 3, s: 2) -> coarse
            from coarse upsample(2) -> up
            add(fine, up) -> merged
            outputs merged, coarse
        }
        """;

    [Fact]
    public async Task Feature_maps_have_definitions_references_renames_hovers_and_located_errors()
    {
        string text = PyramidFile.Replace("\r\n", "\n");
        string pyramidPath = workspace.Write("pyramid.nn", text), uri = DocumentPaths.ToUri(pyramidPath);
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(pyramidPath, text);

        var definition = await client.RequestAsync<Location>("textDocument/definition", At(pyramidPath, text.PositionOf("fine, up", 1)));
        definition.ShouldBe(new Location(uri, R(2, 21, 2, 25)));

        var references = await client.RequestAsync<Location[]>("textDocument/references",
            new { textDocument = new { uri }, position = text.PositionOf("coarse"), context = new { includeDeclaration = true } });
        references.Select(r => r.Range.Start.Line).ShouldBe([3, 4, 6], ignoreOrder: true);

        var edit = await client.RequestAsync<WorkspaceEdit>("textDocument/rename", new { textDocument = new { uri }, position = text.PositionOf("up)"), newName = "upsampled" });
        edit.Changes[uri].Select(e => e.Range.Start.Line).ShouldBe([4, 5]);

        var hover = await client.RequestAsync<Hover>("textDocument/hover", At(pyramidPath, text.PositionOf("merged,", 1)));
        hover.Contents.Value.ShouldBe("feature map `merged` of network `Pyramid`");

        string broken = text.Replace("network Pyramid", "network Broken").Replace("from coarse upsample(2) -> up", "from coarse -> up");
        string brokenPath = workspace.Write("broken.nn", broken);
        await client.OpenAsync(brokenPath, broken);
        var published = await client.DiagnosticsAsync(brokenPath, d => d.Diagnostics.Length > 0);
        published.Diagnostics.Select(d => (d.Range, d.Code)).ShouldBe([(R(5, 14, 5, 16), "NN0402")]);
        published.Diagnostics[0].Message.ShouldStartWith("add(fine, up): 'fine' is 8x32x32 but 'up' is 8x16x16");
    }

    [Fact]
    public async Task Completion_offers_named_arguments_in_a_call_and_layers_blocks_and_names_in_a_body()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        string text = Tiny.Replace("avgpool flatten", "conv(8, ) avgpool flatten");
        await client.OpenAsync(tinyPath, text);

        var inCall = await client.RequestAsync<CompletionList>("textDocument/completion", At(tinyPath, text.PositionOf("conv(8, ", 8)));
        var labels = inCall.Items.Select(i => i.Label).ToList();
        labels.Take(6).ShouldBe(["out:", "k:", "s:", "pad:", "dilation:", "groups:"]);
        inCall.Items.Single(i => i.Label == "k:").ShouldBe(new CompletionItem("k:", 5, "default 1", InsertText: "k: ", SortText: "0k"));
        labels.ShouldContain("ch");
        labels.ShouldContain("width");
        labels.ShouldContain("divisible");

        var inBody = await client.RequestAsync<CompletionList>("textDocument/completion", At(tinyPath, text.PositionOf("avgpool")));
        var conv = inBody.Items.Single(i => i.Label == "conv");
        conv.Detail.ShouldBe("conv(out, k: 1, s: 1, pad: dilation*(k-1)/2, dilation: 1, groups: 1, bias: auto)");
        conv.InsertText.ShouldBe("conv(${1:out})");
        conv.InsertTextFormat.ShouldBe(2);
        var unit = inBody.Items.Single(i => i.Label == "Unit");
        unit.Detail.ShouldBe("block Unit(out: int, s: int = 1)");
        unit.InsertText.ShouldBe("Unit(${1:out})");
        inBody.Items.Select(i => i.Label).ShouldContain("repeat");

        var topLevel = await client.RequestAsync<CompletionList>("textDocument/completion", At(tinyPath, text.PositionOf("variant")));
        topLevel.Items.Select(i => i.Label).ShouldBe(["network", "block", "variant"]);
    }

    [Fact]
    public async Task Signature_help_shows_the_callee_and_the_argument_being_written()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        var help = await client.RequestAsync<SignatureHelp>("textDocument/signatureHelp", At(tinyPath, Tiny.PositionOf("s: 2", 3)));

        help.Signatures.Single().Label.ShouldBe("Unit(out: int, s: int = 1)");
        help.Signatures.Single().Parameters.Select(p => p.Label).ShouldBe([new[] { 5, 13 }, new[] { 15, 25 }]);
        help.ActiveParameter.ShouldBe(1);

        var layer = await client.RequestAsync<SignatureHelp>("textDocument/signatureHelp", At(tinyPath, Tiny.PositionOf("ch(16)", 0)));
        layer.Signatures.Single().Label.ShouldStartWith("conv(out, k: 1");
        layer.ActiveParameter.ShouldBe(0);
    }

    [Fact]
    public async Task Document_and_workspace_symbols_list_declarations_and_labelled_parts()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        var symbols = await client.RequestAsync<DocumentSymbol[]>("textDocument/documentSymbol", new { textDocument = new { uri = DocumentPaths.ToUri(tinyPath) } });
        symbols.Select(s => (s.Name, s.Kind, s.SelectionRange)).ShouldBe([("Tiny", 5, R(0, 8, 0, 12)), ("TinyWide", 14, R(8, 8, 8, 16))]);
        symbols[0].Range.ShouldBe(R(0, 0, 6, 1));
        symbols[0].Children!.Select(c => (c.Name, c.Kind, c.Range)).ShouldBe([("stem", 3, R(3, 4, 3, 40)), ("head", 8, R(5, 20, 5, 43))]);

        var found = await client.RequestAsync<SymbolInformation[]>("workspace/symbol", new { query = "un" });
        found.ShouldBe([new SymbolInformation("Unit", 12, new Location(DocumentPaths.ToUri(unitPath), R(2, 6, 2, 10)), "unit.nn")]);
    }

    [Fact]
    public async Task Formatting_returns_the_canonical_text_and_leaves_a_broken_file_alone()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);
        string messy = "network N{input 3x8x8\nconv(8,k:3)   // eight\n}\n";
        await client.OpenAsync(tinyPath, messy);

        var edits = await client.RequestAsync<TextEdit[]>("textDocument/formatting", new { textDocument = new { uri = DocumentPaths.ToUri(tinyPath) }, options = new { tabSize = 4, insertSpaces = true } });
        edits.ShouldBe([new TextEdit(R(0, 0, 3, 0), "network N { input 3x8x8\n    conv(8, k: 3)   // eight\n}\n")]);

        await client.ChangeAsync(tinyPath, 2, new TextDocumentContentChangeEvent(null, "network N {\n conv(8;\n}\n"));
        var none = await client.RequestAsync<TextEdit[]>("textDocument/formatting", new { textDocument = new { uri = DocumentPaths.ToUri(tinyPath) }, options = new { tabSize = 4, insertSpaces = true } });
        none.ShouldBeEmpty();
    }

    [Fact]
    public async Task Inlay_hints_show_the_shape_after_each_line_and_a_setting_turns_them_off()
    {
        await using (var client = await LspClient.InitializedAsync(workspace.Root))
        {
            await client.OpenAsync(tinyPath, Tiny);
            var hints = await client.RequestAsync<InlayHint[]>("textDocument/inlayHint", new { textDocument = new { uri = DocumentPaths.ToUri(tinyPath) }, range = R(0, 0, 9, 0) });
            hints.Select(h => (h.Position, h.Label)).ShouldBe([
                (new Position(3, 40), "→ 16x28x28"),
                (new Position(4, 22), "→ 32x14x14"),
                (new Position(5, 43), "→ 10"),
            ]);

            // A block's statements show the shape of every use.
            await client.OpenAsync(unitPath, Unit);
            var inBlock = await client.RequestAsync<InlayHint[]>("textDocument/inlayHint", new { textDocument = new { uri = DocumentPaths.ToUri(unitPath) }, range = R(0, 0, 6, 0) });
            inBlock.Select(h => (h.Position, h.Label)).ShouldBe([(new Position(3, 33), "→ 32x14x14")]);
        }

        await using var off = await LspClient.InitializedAsync(workspace.Root, new { inlayHints = new { enabled = false } });
        await off.OpenAsync(tinyPath, Tiny);
        (await off.RequestAsync<InlayHint[]>("textDocument/inlayHint", new { textDocument = new { uri = DocumentPaths.ToUri(tinyPath) }, range = R(0, 0, 9, 0) })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_methods_get_method_not_found_and_other_documents_get_empty_answers()
    {
        await using var client = await LspClient.InitializedAsync(workspace.Root);

        var unknown = await Should.ThrowAsync<RemoteMethodNotFoundException>(() => client.RequestAsync<object>("textDocument/teleport", new { }));
        ((int)unknown.ErrorCode).ShouldBe(-32601);

        string readme = Path.Combine(workspace.Root, "README.md");
        (await client.RequestAsync<Hover?>("textDocument/hover", At(readme, new Position(0, 0)))).ShouldBeNull();
        (await client.RequestAsync<Location[]>("textDocument/references", new { textDocument = new { uri = DocumentPaths.ToUri(readme) }, position = new Position(0, 0) })).ShouldBeEmpty();
        string unopened = Path.Combine(workspace.Root, "missing.nn");
        (await client.RequestAsync<Hover?>("textDocument/hover", At(unopened, new Position(0, 0)))).ShouldBeNull();
        (await client.RequestAsync<DocumentSymbol[]>("textDocument/documentSymbol", new { textDocument = new { uri = "untitled:Untitled-1" } })).ShouldBeEmpty();
        // A change to a document that was never opened is ignored; the server still answers.
        await client.ChangeAsync(unopened, 5, new TextDocumentContentChangeEvent(null, "network"));
        (await client.RequestAsync<SymbolInformation[]>("workspace/symbol", new { query = "Tiny" })).Select(s => s.Name).ShouldBe(["Tiny", "TinyWide"]);

        (await client.ShutdownAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_client_that_disconnects_ends_the_server_with_exit_code_one()
    {
        var client = await LspClient.InitializedAsync(workspace.Root);
        await client.OpenAsync(tinyPath, Tiny);

        (await client.DisconnectAsync()).ShouldBe(1);
    }
}
