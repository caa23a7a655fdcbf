using System.Text.Json;
using NetDsl.Formatting;
using NetDsl.LanguageServer.Features;
using NetDsl.LanguageServer.Protocol;
using NetDsl.Syntax;
using StreamJsonRpc;

namespace NetDsl.LanguageServer;

/// <summary>
/// The LSP methods. Document notifications update the <see cref="Workspace"/> and schedule diagnostics;
/// requests answer from the latest analysis. Requests about documents that are not <c>.nn</c> files get empty
/// answers; methods the server does not know get JSON-RPC's MethodNotFound from StreamJsonRpc.
/// </summary>
public sealed class NetDslLanguageServer : IDisposable
{
    private readonly Workspace workspace = new();
    private readonly DiagnosticsPublisher diagnostics;
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, Analysis> lastWithoutSyntaxErrors = new(StringComparer.Ordinal);
    private volatile bool inlayHints = true;

    /// <param name="diagnosticsPublished">Called after each round of diagnostics with the analysed workspace version (for the bench).</param>
    public NetDslLanguageServer(JsonRpc rpc, TimeSpan debounce, Action<long>? diagnosticsPublished = null)
    {
        diagnostics = new DiagnosticsPublisher(rpc, workspace, debounce);
        if (diagnosticsPublished is not null)
            diagnostics.Published += diagnosticsPublished;
    }

    /// <summary>Completes on the <c>exit</c> notification.</summary>
    public Task Exited => exited.Task;

    /// <summary>True once <c>shutdown</c> was requested: <c>exit</c> then ends with code 0, otherwise 1.</summary>
    public bool ShutdownRequested { get; private set; }

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Initialize(InitializeParams parameters)
    {
        var folders = (parameters.WorkspaceFolders ?? []).Select(f => DocumentPaths.ToPath(f.Uri)).ToList();
        if (folders.Count == 0)
            folders.Add(DocumentPaths.ToPath(parameters.RootUri) ?? parameters.RootPath);
        workspace.AddFolders(folders.OfType<string>().Where(Directory.Exists));
        ReadSettings(parameters.InitializationOptions);

        var capabilities = new ServerCapabilities(
            new TextDocumentSyncOptions(OpenClose: true, Change: 2, new SaveOptions(IncludeText: false)),
            HoverProvider: true,
            DefinitionProvider: true,
            ReferencesProvider: true,
            new RenameOptions(PrepareProvider: true),
            new CompletionOptions(["(", ",", ":", " "]),
            new SignatureHelpOptions(["(", ","], [","]),
            DocumentSymbolProvider: true,
            WorkspaceSymbolProvider: true,
            DocumentFormattingProvider: true,
            InlayHintProvider: true);
        return new InitializeResult(capabilities, new ServerInfo("netdsl", typeof(NetDslLanguageServer).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    [JsonRpcMethod("initialized")]
    public void Initialized() => diagnostics.Schedule(immediately: true);

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        ShutdownRequested = true;
        diagnostics.Stop();
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => exited.TrySetResult();

    [JsonRpcMethod("workspace/didChangeConfiguration", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(DidChangeConfigurationParams parameters)
    {
        if (parameters.Settings is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty("netdsl", out var netdsl))
            ReadSettings(netdsl);
    }

    [JsonRpcMethod("workspace/didChangeWatchedFiles", UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(DidChangeWatchedFilesParams parameters)
    {
        foreach (var change in parameters.Changes ?? [])
        {
            if (DocumentPaths.ToPath(change.Uri) is { } path && DocumentPaths.IsNetDsl(path) && !workspace.IsOpen(path))
                workspace.ReloadFromDisk(path);
        }
        diagnostics.Schedule();
    }

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams parameters)
    {
        if (DocumentPaths.ToPath(parameters.TextDocument.Uri) is not { } path || !DocumentPaths.IsNetDsl(path))
            return;
        workspace.Open(path, parameters.TextDocument.Uri, parameters.TextDocument.Version, parameters.TextDocument.Text ?? "");
        diagnostics.Schedule(immediately: true);
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams parameters)
    {
        if (DocumentPaths.ToPath(parameters.TextDocument.Uri) is { } path && workspace.Change(path, parameters.TextDocument.Version, parameters.ContentChanges ?? []))
            diagnostics.Schedule();
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams parameters)
    {
        if (DocumentPaths.ToPath(parameters.TextDocument.Uri) is not { } path || !workspace.IsOpen(path))
            return;
        workspace.Close(path);
        diagnostics.Schedule();
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveTextDocumentParams parameters)
    {
        // The open buffer is what counts while the file is open; nothing to re-read.
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Hover? Hover(TextDocumentPositionParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, (analysis, document, offset) =>
            Hovers.At(analysis, document, offset) is { } hover
                ? new Hover(MarkupContent.Markdown(hover.Markdown), document.Positions.ToRange(hover.Span))
                : null);

    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public Location? Definition(TextDocumentPositionParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, Navigation.Definition);

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public Location[] References(ReferenceParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, (analysis, document, offset) =>
            Navigation.References(analysis, document, offset, parameters.Context?.IncludeDeclaration ?? true)) ?? [];

    [JsonRpcMethod("textDocument/prepareRename", UseSingleObjectParameterDeserialization = true)]
    public PrepareRenameResult? PrepareRename(TextDocumentPositionParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, (analysis, document, offset) =>
            Navigation.Renameable(analysis, document, offset) is { } occurrence
                ? new PrepareRenameResult(document.Positions.ToRange(occurrence.Span), document.Source.ToString(occurrence.Span))
                : null);

    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public WorkspaceEdit? Rename(RenameParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, (analysis, document, offset) =>
            Navigation.Rename(analysis, document, offset, parameters.NewName ?? ""));

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public CompletionList Completion(TextDocumentPositionParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, (analysis, document, offset) =>
            Features.Completion.At(analysis, document, offset, LastWithoutSyntaxErrors(document.Path))) ?? new CompletionList(false, []);

    [JsonRpcMethod("textDocument/signatureHelp", UseSingleObjectParameterDeserialization = true)]
    public SignatureHelp? SignatureHelp(TextDocumentPositionParams parameters) =>
        WithDocument(parameters.TextDocument, parameters.Position, Features.Completion.Signature);

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public DocumentSymbol[] DocumentSymbols(DocumentSymbolParams parameters) =>
        WithDocument(parameters.TextDocument, null, (_, document, _) => Symbols.OfDocument(document)) ?? [];

    [JsonRpcMethod("workspace/symbol", UseSingleObjectParameterDeserialization = true)]
    public SymbolInformation[] WorkspaceSymbols(WorkspaceSymbolParams parameters) =>
        Symbols.OfWorkspace(workspace.Analyze(), parameters.Query ?? "");

    [JsonRpcMethod("textDocument/formatting", UseSingleObjectParameterDeserialization = true)]
    public TextEdit[] Formatting(DocumentFormattingParams parameters) =>
        WithDocument(parameters.TextDocument, null, (_, document, _) =>
        {
            // A file with syntax errors is left alone: its errors are already shown as diagnostics.
            var formatted = Formatter.Format(document.Source);
            if (formatted.Text is null || formatted.Text == document.Source.Text)
                return [];
            var whole = new Range(new Position(0, 0), document.Positions.ToPosition(document.Source.Text.Length));
            return new[] { new TextEdit(whole, formatted.Text) };
        }) ?? [];

    [JsonRpcMethod("textDocument/inlayHint", UseSingleObjectParameterDeserialization = true)]
    public InlayHint[] InlayHint(InlayHintParams parameters) =>
        !inlayHints
            ? []
            : WithDocument(parameters.TextDocument, null, (analysis, document, _) =>
                InlayHints.In(analysis, document, document.Positions.ToSpan(parameters.Range ?? new Range(new Position(0, 0), new Position(int.MaxValue, 0))))) ?? [];

    [JsonRpcIgnore]
    public void Dispose() => diagnostics.Stop();

    /// <summary>Runs a request against the current analysis of a <c>.nn</c> document; null for any other document.</summary>
    private T? WithDocument<T>(TextDocumentIdentifier? identifier, Position? position, Func<Analysis, AnalyzedDocument, int, T?> answer)
        where T : class
    {
        if (DocumentPaths.ToPath(identifier?.Uri) is not { } path || !DocumentPaths.IsNetDsl(path))
            return null;
        var analysis = workspace.Analyze();
        if (!analysis.ByPath.TryGetValue(path, out var document))
            return null;
        Remember(analysis, document);
        int offset = position is null ? 0 : document.Positions.ToOffset(position);
        return answer(analysis, document, offset);
    }

    private void Remember(Analysis analysis, AnalyzedDocument document)
    {
        if (document.Parse.Diagnostics.Any(d => d.IsError))
            return;
        lock (lastWithoutSyntaxErrors)
            lastWithoutSyntaxErrors[document.Path] = analysis;
    }

    private Analysis? LastWithoutSyntaxErrors(string path)
    {
        lock (lastWithoutSyntaxErrors)
            return lastWithoutSyntaxErrors.TryGetValue(path, out var analysis) ? analysis : null;
    }

    /// <summary>Settings: <c>{ "inlayHints": { "enabled": false } }</c> (VS Code's <c>netdsl.inlayHints.enabled</c>).</summary>
    private void ReadSettings(JsonElement? settings)
    {
        if (settings is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("inlayHints", out var hints))
        {
            if (hints.ValueKind is JsonValueKind.True or JsonValueKind.False)
                inlayHints = hints.GetBoolean();
            else if (hints.ValueKind == JsonValueKind.Object && hints.TryGetProperty("enabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False)
                inlayHints = enabled.GetBoolean();
        }
    }
}
