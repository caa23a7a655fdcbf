using System.Text.Json;

// The subset of the Language Server Protocol 3.17 this server speaks, as plain records. Property names are
// the protocol's, camel-cased by the serializer; null members are left out of what the server sends.
namespace NetDsl.LanguageServer.Protocol;

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

public sealed record Location(string Uri, Range Range);

public sealed record TextDocumentIdentifier(string Uri);

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

public sealed record WorkspaceFolder(string Uri, string Name);

public sealed record InitializeParams(int? ProcessId, string? RootUri, string? RootPath, WorkspaceFolder[]? WorkspaceFolders, JsonElement? InitializationOptions);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public sealed record ServerInfo(string Name, string Version);

public sealed record TextDocumentSyncOptions(bool OpenClose, int Change, SaveOptions Save);

public sealed record SaveOptions(bool IncludeText);

public sealed record CompletionOptions(string[] TriggerCharacters);

public sealed record SignatureHelpOptions(string[] TriggerCharacters, string[] RetriggerCharacters);

public sealed record RenameOptions(bool PrepareProvider);

public sealed record ServerCapabilities(
    TextDocumentSyncOptions TextDocumentSync,
    bool HoverProvider,
    bool DefinitionProvider,
    bool ReferencesProvider,
    RenameOptions RenameProvider,
    CompletionOptions CompletionProvider,
    SignatureHelpOptions SignatureHelpProvider,
    bool DocumentSymbolProvider,
    bool WorkspaceSymbolProvider,
    bool DocumentFormattingProvider,
    bool InlayHintProvider);

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

public sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

public sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text);

public sealed record FileEvent(string Uri, int Type);

public sealed record DidChangeWatchedFilesParams(FileEvent[] Changes);

public sealed record DidChangeConfigurationParams(JsonElement? Settings);

public sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

public sealed record ReferenceContext(bool IncludeDeclaration);

public sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

public sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);

public sealed record PrepareRenameResult(Range Range, string Placeholder);

public sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

public sealed record WorkspaceSymbolParams(string? Query);

public sealed record FormattingOptions(int TabSize, bool InsertSpaces);

public sealed record DocumentFormattingParams(TextDocumentIdentifier TextDocument, FormattingOptions? Options);

public sealed record InlayHintParams(TextDocumentIdentifier TextDocument, Range Range);

/// <summary>Severity: 1 error, 2 warning, 3 information, 4 hint.</summary>
public sealed record Diagnostic(Range Range, int Severity, string Code, string Source, string Message);

public sealed record PublishDiagnosticsParams(string Uri, int? Version, Diagnostic[] Diagnostics);

public sealed record MarkupContent(string Kind, string Value)
{
    public static MarkupContent Markdown(string value) => new("markdown", value);
}

public sealed record Hover(MarkupContent Contents, Range? Range);

public sealed record TextEdit(Range Range, string NewText);

public sealed record WorkspaceEdit(Dictionary<string, TextEdit[]> Changes);

/// <summary>Kinds used here: 1 text, 3 function, 5 field, 6 variable, 7 class, 14 keyword, 15 snippet, 22 struct.</summary>
public sealed record CompletionItem(
    string Label,
    int Kind,
    string? Detail = null,
    MarkupContent? Documentation = null,
    string? InsertText = null,
    int? InsertTextFormat = null,
    string? SortText = null);

public sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

/// <summary>A parameter by its [start, end) offsets in the signature label.</summary>
public sealed record ParameterInformation(int[] Label, MarkupContent? Documentation = null);

public sealed record SignatureInformation(string Label, MarkupContent? Documentation, ParameterInformation[] Parameters);

public sealed record SignatureHelp(SignatureInformation[] Signatures, int ActiveSignature, int ActiveParameter);

/// <summary>Kinds used here: 2 module, 3 namespace, 5 class, 8 field, 12 function, 13 variable, 14 constant.</summary>
public sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children);

public sealed record SymbolInformation(string Name, int Kind, Location Location, string? ContainerName);

/// <summary>Kind 1: type.</summary>
public sealed record InlayHint(Position Position, string Label, int? Kind, bool? PaddingLeft, MarkupContent? Tooltip);
