using NetDsl.Checking;
using NetDsl.LanguageServer.Protocol;
using NetDsl.Model;
using NetDsl.Syntax;
using StreamJsonRpc;

namespace NetDsl.LanguageServer.Features;

/// <summary>Go to definition, find references and rename: lookups in the analysis's <see cref="SymbolIndex"/>.</summary>
internal static class Navigation
{
    /// <summary>LSP's "request failed" code: the request was valid but cannot be carried out (a bad new name).</summary>
    private const int RequestFailed = -32803;

    public static Location? Definition(Analysis analysis, AnalyzedDocument document, int offset)
    {
        var occurrence = analysis.Symbols.At(document.Path, offset);
        if (occurrence is null || analysis.Symbols.DefinitionOf(occurrence.Target) is not { } definition)
            return null;
        return ToLocation(analysis, definition);
    }

    public static Location[] References(Analysis analysis, AnalyzedDocument document, int offset, bool includeDeclaration)
    {
        var occurrence = analysis.Symbols.At(document.Path, offset);
        if (occurrence is null || occurrence.Kind == OccurrenceKind.BuiltinLayer)
            return [];
        return analysis.Symbols.Of(occurrence.Target)
            .Where(o => includeDeclaration || !o.IsDefinition)
            .Select(o => ToLocation(analysis, o))
            .OfType<Location>()
            .ToArray();
    }

    /// <summary>The name under the caret if it can be renamed: something the workspace declares, not a built-in.</summary>
    public static Occurrence? Renameable(Analysis analysis, AnalyzedDocument document, int offset)
    {
        var occurrence = analysis.Symbols.At(document.Path, offset);
        return occurrence is not null && analysis.Symbols.DefinitionOf(occurrence.Target) is not null ? occurrence : null;
    }

    public static WorkspaceEdit? Rename(Analysis analysis, AnalyzedDocument document, int offset, string newName)
    {
        var occurrence = Renameable(analysis, document, offset);
        if (occurrence is null)
            return null;
        if (!LayerCatalog.IsIdentifier(newName))
            throw new LocalRpcException($"'{newName}' is not a name: use letters, digits and '_', starting with a letter or '_'") { ErrorCode = RequestFailed };
        if (LayerCatalog.Keywords.Contains(newName))
            throw new LocalRpcException($"'{newName}' is a keyword of the language") { ErrorCode = RequestFailed };
        if (LayerCatalog.Find(newName) is not null || LayerCatalog.Functions.ContainsKey(newName) || newName is "in" or "channels")
            throw new LocalRpcException($"'{newName}' is a built-in name of the language") { ErrorCode = RequestFailed };

        var changes = new Dictionary<string, TextEdit[]>(StringComparer.Ordinal);
        foreach (var group in analysis.Symbols.Of(occurrence.Target).GroupBy(o => o.Path))
        {
            var file = analysis.ByPath[group.Key];
            changes[file.Uri] = group.Select(o => new TextEdit(file.Positions.ToRange(o.Span), newName)).ToArray();
        }
        return new WorkspaceEdit(changes);
    }

    public static Location? ToLocation(Analysis analysis, Occurrence occurrence) =>
        analysis.ByPath.TryGetValue(occurrence.Path, out var file) ? new Location(file.Uri, file.Positions.ToRange(occurrence.Span)) : null;
}

/// <summary>Document symbols (networks, blocks, variants and their labelled parts) and workspace symbols.</summary>
internal static class Symbols
{
    private const int Class = 5, Namespace = 3, Field = 8, Function = 12, Constant = 14;

    public static DocumentSymbol[] OfDocument(AnalyzedDocument document) =>
        document.Parse.Tree.Declarations.Select(d => Declaration(document, d)).ToArray();

    public static SymbolInformation[] OfWorkspace(Analysis analysis, string query) =>
        analysis.Documents
            .SelectMany(document => document.Parse.Tree.Declarations.Select(d => (document, d)))
            .Where(x => query.Length == 0 || x.d.Name.Text.Contains(query, StringComparison.OrdinalIgnoreCase))
            .Select(x => new SymbolInformation(x.d.Name.Text, KindOf(x.d), new Location(x.document.Uri, x.document.Positions.ToRange(x.d.Name.Span)), Path.GetFileName(x.document.Path)))
            .ToArray();

    private static int KindOf(Declaration declaration) => declaration switch
    {
        NetworkDeclaration => Class,
        BlockDeclaration => Function,
        _ => Constant,
    };

    private static DocumentSymbol Declaration(AnalyzedDocument document, Declaration declaration)
    {
        var body = declaration switch
        {
            NetworkDeclaration network => network.Body,
            BlockDeclaration block => block.Body,
            _ => null,
        };
        string detail = DeclarationText.Signature(declaration, document.Source);
        var children = body is null ? [] : Labelled(document, body);
        return new DocumentSymbol(declaration.Name.Text, detail, KindOf(declaration),
            document.Positions.ToRange(declaration.Span), document.Positions.ToRange(declaration.Name.Span), children);
    }

    /// <summary>The labelled parts of a body (groups, paths, <c>as label</c> layers), nested as in the text.</summary>
    private static DocumentSymbol[] Labelled(AnalyzedDocument document, Body body)
    {
        var symbols = new List<DocumentSymbol>();
        foreach (var statement in body.Statements)
        {
            switch (statement)
            {
                case GroupStatement group:
                    symbols.Add(Symbol(document, group.Label, group.Span, Namespace, Labelled(document, group.Body)));
                    break;
                case PathStatement { Label: { } label } path:
                    symbols.Add(Symbol(document, label, path.Span, Namespace, Labelled(document, path.Body)));
                    break;
                case LayerStatement { Label: { } label } layer:
                    symbols.Add(Symbol(document, label, layer.Span, Field, []));
                    break;
                default:
                    foreach (var inner in Bodies(statement))
                        symbols.AddRange(Labelled(document, inner));
                    break;
            }
        }
        return symbols.ToArray();
    }

    private static IEnumerable<Body> Bodies(Statement statement) => statement switch
    {
        RepeatStatement s => [s.Body],
        DenseStatement s => [s.Body],
        ForStatement s => [s.Body],
        IfStatement s => s.Else is null ? [s.Then] : [s.Then, s.Else],
        ParallelStatement s => [s.Paths],
        SplitStatement s => [s.Paths],
        PathStatement s => [s.Body],
        ResidualStatement s => [s.Body],
        _ => [],
    };

    private static DocumentSymbol Symbol(AnalyzedDocument document, Identifier label, TextSpan span, int kind, DocumentSymbol[] children) =>
        new(label.Text, null, kind, document.Positions.ToRange(span), document.Positions.ToRange(label.Span), children);
}
