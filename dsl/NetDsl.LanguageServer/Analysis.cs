using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer;

/// <summary>One file of an analysis: its text, its parse, and its position mapping.</summary>
internal sealed record AnalyzedDocument(string Path, string Uri, int? Version, SourceText Source, ParseResult Parse)
{
    public TextPositions Positions { get; } = new(Source.Text);
}

/// <summary>
/// The workspace's files parsed and checked together, as the build checks them: the diagnostics of every file,
/// and, built on first use, the index of names (<see cref="SymbolIndex"/>) and of report rows by statement.
/// Immutable: a newer edit makes a newer analysis.
/// </summary>
internal sealed class Analysis
{
    private readonly Lazy<SymbolIndex> symbols;
    private readonly Lazy<Dictionary<(string Path, TextSpan Span), List<(NetworkReport Report, LayerReport Row)>>> rows;

    public Analysis(long version, IReadOnlyList<AnalyzedDocument> documents, CheckResult check)
    {
        Version = version;
        Documents = documents;
        Check = check;
        ByPath = documents.ToDictionary(d => d.Path, StringComparer.Ordinal);
        symbols = new Lazy<SymbolIndex>(() => SymbolIndex.Build(this));
        rows = new Lazy<Dictionary<(string, TextSpan), List<(NetworkReport, LayerReport)>>>(IndexRows);
    }

    public long Version { get; }

    public IReadOnlyList<AnalyzedDocument> Documents { get; }

    public IReadOnlyDictionary<string, AnalyzedDocument> ByPath { get; }

    public CheckResult Check { get; }

    public SemanticModel Model => Check.Model;

    public SymbolIndex Symbols => symbols.Value;

    /// <summary>The parse and check diagnostics of one file, in order.</summary>
    public IEnumerable<NetDsl.Diagnostics.Diagnostic> DiagnosticsOf(string path) =>
        ByPath.TryGetValue(path, out var document)
            ? document.Parse.Diagnostics.Concat(Check.Diagnostics.Where(d => d.Location.Path == path)).OrderBy(d => d.Location.Span.Start)
            : [];

    /// <summary>
    /// The summary rows a statement produced, in every network and variant (one per evaluation). The rows of a
    /// composite layer's parts (se's fc1, compconv's seed) share its location and are left out.
    /// </summary>
    public IReadOnlyList<(NetworkReport Report, LayerReport Row)> RowsOf(string path, TextSpan statement)
    {
        if (!rows.Value.TryGetValue((path, statement), out var found))
            return [];
        return found.Where(r => !found.Any(o => o.Report == r.Report && r.Row.Path.StartsWith(o.Row.Path + ".", StringComparison.Ordinal))).ToList();
    }

    private Dictionary<(string, TextSpan), List<(NetworkReport, LayerReport)>> IndexRows()
    {
        var index = new Dictionary<(string, TextSpan), List<(NetworkReport, LayerReport)>>();
        foreach (var report in Check.Networks)
        {
            foreach (var row in report.Layers)
            {
                var key = (row.Location.Path, row.Location.Span);
                if (!index.TryGetValue(key, out var list))
                    index[key] = list = [];
                list.Add((report, row));
            }
        }
        return index;
    }
}
