using System.Text;
using NetDsl.Checking;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer.Features;

/// <summary>
/// Hover text, in Markdown: for a layer or block use, the rows the checker computed for it (output shape,
/// parameters, MACs, and the resolved layer as the summary describes it) at each network's defaults and where a
/// variant differs; for a network, block or variant, its signature, the comment above it and its totals;
/// for any other name, what declares it.
/// </summary>
internal static class Hovers
{
    /// <summary>Identical rows of one statement in one report are shown once, with a count; this many at most.</summary>
    private const int MaxRowGroups = 8;

    public static (string Markdown, TextSpan Span)? At(Analysis analysis, AnalyzedDocument document, int offset)
    {
        var occurrence = analysis.Symbols.At(document.Path, offset);
        if (occurrence is null)
            return null;
        var text = new StringBuilder();
        switch (occurrence.Kind)
        {
            case OccurrenceKind.Declaration:
                Declaration(analysis, (Declaration)occurrence.Target, text);
                break;
            case OccurrenceKind.BuiltinLayer:
                if (LayerCatalog.Find((string)occurrence.Target) is { } layer)
                    text.Append("```netdsl\n").Append(layer.Signature).Append("\n```\n").Append(layer.Summary).Append('\n');
                break;
            case OccurrenceKind.Symbol:
                Symbol(analysis, (Symbol)occurrence.Target, text);
                break;
            case OccurrenceKind.Label:
                text.Append("label `").Append(((Identifier)occurrence.Target).Text).Append("`: a named part of the module (a typed property in C#)\n");
                break;
            case OccurrenceKind.Feature:
                var feature = (FeatureMap)occurrence.Target;
                text.Append("feature map `").Append(feature.Name).Append("` of ").Append(feature.Owner is NetworkDeclaration ? "network" : "block")
                    .Append(" `").Append(feature.Owner.Name.Text).Append("`\n");
                break;
        }
        if (occurrence.Statement is { } statement)
            Rows(analysis, document.Path, statement.Span, text);
        else if (occurrence.Kind == OccurrenceKind.Label && LabelledStatement(analysis, document, occurrence) is { } labelled)
            Rows(analysis, document.Path, labelled, text);
        return text.Length == 0 ? null : (text.ToString().TrimEnd('\n'), occurrence.Span);
    }

    private static void Declaration(Analysis analysis, Declaration declaration, StringBuilder text)
    {
        if (analysis.Model.GetTree(declaration) is not { } tree)
            return;
        text.Append("```netdsl\n").Append(DeclarationText.Signature(declaration, tree.Source)).Append("\n```\n");
        if (DeclarationText.CommentAbove(declaration, tree.Source) is { } comment)
            text.Append('\n').Append(comment.Replace("\n", "  \n")).Append('\n');
        var reports = declaration switch
        {
            NetworkDeclaration network => analysis.Check.Networks.Where(r => r.NetworkName == network.Name.Text && r.VariantName is null),
            VariantDeclaration variant => analysis.Check.Networks.Where(r => r.VariantName == variant.Name.Text),
            _ => [],
        };
        foreach (var report in reports)
            text.Append('\n').Append("**").Append(report.Name).Append("**: ").Append(Figures.Totals(report)).Append('\n');
    }

    private static void Symbol(Analysis analysis, Symbol symbol, StringBuilder text)
    {
        string kind = symbol.Kind switch
        {
            SymbolKind.Parameter => "parameter",
            SymbolKind.Let => "let",
            SymbolKind.Function => "function",
            SymbolKind.FunctionParameter => "function parameter",
            SymbolKind.LoopVariable => "loop variable",
            SymbolKind.BuiltinFunction => "built-in function",
            SymbolKind.In => "the channels entering the block (the network's input channels in a network)",
            SymbolKind.Channels => "the channel count at this point",
            SymbolKind.Activation => "activation",
            _ => "name",
        };
        text.Append(kind).Append(" `").Append(symbol.Name).Append('`');
        if (symbol.Type != DslType.Unknown && symbol.Kind is not (SymbolKind.Function or SymbolKind.BuiltinFunction))
            text.Append(": ").Append(symbol.Type.ToString().ToLowerInvariant());
        text.Append('\n');
        if (symbol.Kind == SymbolKind.BuiltinFunction && LayerCatalog.Functions.TryGetValue(symbol.Name, out var arity))
            text.Append("\ntakes ").Append(arity.Max < 0 ? $"{arity.Min} or more arguments" : arity.Min == arity.Max ? $"{arity.Min} argument(s)" : $"{arity.Min} to {arity.Max} arguments").Append('\n');
        if (analysis.Symbols.DefinitionOf(symbol) is { Context: { } context } definition && analysis.ByPath.TryGetValue(definition.Path, out var file))
            text.Append("```netdsl\n").Append(DeclarationText.Flatten(file.Source.ToString(context))).Append("\n```\n");
    }

    /// <summary>The statement a label names (<c>linear(classes) as head</c>, <c>stem: { }</c>, <c>path left { }</c>).</summary>
    private static TextSpan? LabelledStatement(Analysis analysis, AnalyzedDocument document, Occurrence label)
    {
        // The rows of a labelled statement start at its name or label; the smallest such row span containing the label is it.
        TextSpan? best = null;
        foreach (var report in analysis.Check.Networks)
        {
            foreach (var row in report.Layers)
            {
                var span = row.Location.Span;
                if (row.Location.Path == document.Path && span.Start <= label.Span.Start && label.Span.End <= span.End && (best is null || span.Length < best.Value.Length))
                    best = span;
            }
        }
        return best;
    }

    private static void Rows(Analysis analysis, string path, TextSpan statement, StringBuilder text)
    {
        var rows = analysis.RowsOf(path, statement);
        if (rows.Count == 0)
            return;
        text.Append('\n');
        var defaults = rows.Where(r => r.Report.VariantName is null).GroupBy(r => r.Report).ToList();
        foreach (var group in defaults)
            AppendReport(group.Key, group.Select(g => g.Row).ToList(), text);
        foreach (var variant in rows.Where(r => r.Report.VariantName is not null).GroupBy(r => r.Report))
        {
            var ofNetwork = defaults.FirstOrDefault(d => d.Key.NetworkName == variant.Key.NetworkName);
            var mine = variant.Select(v => Key(v.Row)).ToList();
            if (ofNetwork is not null && ofNetwork.Select(d => Key(d.Row)).SequenceEqual(mine))
                continue;
            AppendReport(variant.Key, variant.Select(v => v.Row).ToList(), text);
        }
    }

    private static (string, string, long, long) Key(LayerReport row) => (row.Description, Figures.Shape(row.Output), row.Parameters, row.Macs);

    private static void AppendReport(NetworkReport report, List<LayerReport> rows, StringBuilder text)
    {
        text.Append("**").Append(report.Name).Append("**");
        var groups = rows.GroupBy(Key).ToList();
        if (rows.Count > 1)
            text.Append(" (").Append(rows.Count).Append(" uses)");
        text.Append('\n');
        foreach (var group in groups.Take(MaxRowGroups))
        {
            var (description, output, parameters, macs) = group.Key;
            text.Append("- `").Append(description).Append("` → `").Append(output).Append("` · ")
                .Append(Figures.Count(parameters)).Append(" parameters · ").Append(Figures.Macs(macs)).Append(" MACs");
            if (group.Count() > 1)
                text.Append(" (×").Append(group.Count()).Append(')');
            text.Append('\n');
        }
        if (groups.Count > MaxRowGroups)
            text.Append("- … and ").Append(groups.Count - MaxRowGroups).Append(" more\n");
    }
}
