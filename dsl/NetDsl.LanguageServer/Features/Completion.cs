using NetDsl.Checking;
using NetDsl.LanguageServer.Protocol;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.LanguageServer.Features;

/// <summary>
/// Completion and signature help. Inside a call: the callee's named arguments (a built-in layer's from the
/// layer catalogue, a block's parameters), then the names in scope; in a body: layers with their arguments,
/// the workspace's blocks, keywords and names in scope; at the top level: <c>network</c>, <c>block</c>,
/// <c>variant</c>.
/// </summary>
internal static class Completion
{
    private const int KindFunction = 3, KindField = 5, KindVariable = 6, KindClass = 7, KindKeyword = 14, KindValue = 12;
    private const int Snippet = 2;

    private static readonly string[] StatementKeywords = ["input", "let", "for", "repeat", "if", "else", "parallel", "split", "path", "residual", "dense", "when", "as", "in", "concat", "add", "fuse", "from", "resize", "inputs", "outputs"];

    public static CompletionList At(Analysis analysis, AnalyzedDocument document, int offset, Analysis? fallback)
    {
        var context = CallContext.At(document.Source.Text, offset);
        var items = new List<CompletionItem>();
        if (!context.InsideBraces && context.Callee is null)
        {
            items.AddRange(new[] { "network", "block", "variant" }.Select(k => new CompletionItem(k, KindKeyword)));
            return new CompletionList(false, items.ToArray());
        }

        if (context.Callee is { } callee)
        {
            if (context.AtArgumentName)
                items.AddRange(NamedArguments(analysis, callee));
            items.AddRange(Values(analysis, document, offset, fallback));
        }
        else
        {
            items.AddRange(Layers());
            items.AddRange(Blocks(analysis));
            items.AddRange(StatementKeywords.Select(k => new CompletionItem(k, KindKeyword, SortText: "3" + k)));
            items.AddRange(Values(analysis, document, offset, fallback));
        }
        return new CompletionList(false, items.GroupBy(i => i.Label).Select(g => g.First()).ToArray());
    }

    public static SignatureHelp? Signature(Analysis analysis, AnalyzedDocument document, int offset)
    {
        var context = CallContext.At(document.Source.Text, offset);
        if (context.Callee is not { } callee)
            return null;
        (string Label, List<(string Name, string Text)> Parameters, string? Documentation)? signature = null;
        if (LayerCatalog.Find(callee) is { } layer)
            signature = (layer.Name, layer.Parameters.Select(p => (p.Name, p.ToString())).ToList(), layer.Summary);
        else if (analysis.Model.Blocks.TryGetValue(callee, out var block) && analysis.Model.GetTree(block) is { } tree)
            signature = (block.Name.Text, block.Parameters.Select(p => (p.Name.Text, DeclarationText.Flatten(tree.Source.ToString(p.Span)))).ToList(), DeclarationText.CommentAbove(block, tree.Source));
        else if (analysis.Model.Networks.TryGetValue(callee, out var network) && analysis.Model.GetTree(network) is { } networkTree)
            signature = (network.Name.Text, network.Parameters.Select(p => (p.Name.Text, DeclarationText.Flatten(networkTree.Source.ToString(p.Span)))).ToList(), null);
        else if (LayerCatalog.Functions.TryGetValue(callee, out var arity))
            signature = (callee, FunctionParameters(callee, arity), "built-in function");
        else if (FunctionDefinition(analysis, document, callee) is { } function)
            signature = (callee, function.Parameters.Select(p => (p.Text, p.Text)).ToList(), DeclarationText.Flatten(document.Source.ToString(function.Span)));
        if (signature is not { } found)
            return null;

        var parameters = new List<ParameterInformation>();
        string label = found.Label + "(";
        foreach (var (name, text) in found.Parameters)
        {
            if (parameters.Count > 0)
                label += ", ";
            parameters.Add(new ParameterInformation([label.Length, label.Length + text.Length]));
            label += text;
        }
        label += ")";
        int active = context.ArgumentName is { } argument ? found.Parameters.FindIndex(p => p.Name == argument) : context.ArgumentIndex;
        if (active < 0 || active >= parameters.Count)
            active = Math.Min(context.ArgumentIndex, Math.Max(0, parameters.Count - 1));
        var documentation = found.Documentation is null ? null : MarkupContent.Markdown(found.Documentation);
        return new SignatureHelp([new SignatureInformation(label, documentation, parameters.ToArray())], 0, active);
    }

    private static List<(string, string)> FunctionParameters(string name, (int Min, int Max) arity) => name switch
    {
        "divisible" => [("x", "x"), ("d", "d"), ("min", "min: d")],
        "min" or "max" => [("values", "values...")],
        _ => Enumerable.Range(0, arity.Max).Select(i => ($"x{i}", arity.Max == 1 ? "x" : $"x{i}")).ToList(),
    };

    private static FunctionStatement? FunctionDefinition(Analysis analysis, AnalyzedDocument document, string name) =>
        analysis.Symbols.In(document.Path)
            .Where(o => o.IsDefinition && o.Target is Symbol { Kind: SymbolKind.Function } s && s.Name == name)
            .Select(o => FindFunction(document.Parse.Tree, o.Span))
            .FirstOrDefault(f => f is not null);

    private static FunctionStatement? FindFunction(SyntaxTree tree, TextSpan nameSpan)
    {
        foreach (var declaration in tree.Declarations)
        {
            var body = declaration switch { NetworkDeclaration n => n.Body, BlockDeclaration b => b.Body, _ => null };
            if (body is not null && Find(body) is { } found)
                return found;
        }
        return null;

        FunctionStatement? Find(Body body)
        {
            foreach (var statement in body.Statements)
            {
                if (statement is FunctionStatement function && function.Name.Span == nameSpan)
                    return function;
                var inner = statement switch
                {
                    GroupStatement g => Find(g.Body),
                    RepeatStatement r => Find(r.Body),
                    ForStatement f => Find(f.Body),
                    IfStatement i => Find(i.Then) ?? (i.Else is null ? null : Find(i.Else)),
                    _ => null,
                };
                if (inner is not null)
                    return inner;
            }
            return null;
        }
    }

    private static IEnumerable<CompletionItem> NamedArguments(Analysis analysis, string callee)
    {
        if (LayerCatalog.Find(callee) is { } layer)
            return layer.Parameters.Select(p => new CompletionItem(p.Name + ":", KindField, p.Required ? "required" : $"default {p.Default ?? "none"}", InsertText: p.Name + ": ", SortText: "0" + p.Name));
        if (analysis.Model.Blocks.TryGetValue(callee, out var block) && analysis.Model.GetTree(block) is { } tree)
            return block.Parameters.Select(p => new CompletionItem(p.Name.Text + ":", KindField, DeclarationText.Flatten(tree.Source.ToString(p.Span)), InsertText: p.Name.Text + ": ", SortText: "0" + p.Name.Text));
        return [];
    }

    private static IEnumerable<CompletionItem> Layers() =>
        LayerCatalog.Layers.Select(layer =>
        {
            var required = layer.Parameters.Where(p => p.Required).Select((p, i) => $"${{{i + 1}:{p.Name}}}").ToList();
            string insert = required.Count == 0 ? layer.Name : $"{layer.Name}({string.Join(", ", required)})";
            return new CompletionItem(layer.Name, KindFunction, layer.Signature, MarkupContent.Markdown(layer.Summary), insert, Snippet, "1" + layer.Name);
        });

    private static IEnumerable<CompletionItem> Blocks(Analysis analysis) =>
        analysis.Model.Blocks.Values.Select(block =>
        {
            var tree = analysis.Model.GetTree(block);
            string signature = tree is null ? block.Name.Text : DeclarationText.Signature(block, tree.Source);
            var required = block.Parameters.Where(p => p.Default is null).Select((p, i) => $"${{{i + 1}:{p.Name.Text}}}").ToList();
            string insert = $"{block.Name.Text}({string.Join(", ", required)})";
            var comment = tree is null ? null : DeclarationText.CommentAbove(block, tree.Source);
            return new CompletionItem(block.Name.Text, KindClass, signature, comment is null ? null : MarkupContent.Markdown(comment), insert, Snippet, "2" + block.Name.Text);
        });

    /// <summary>
    /// Names in scope at the caret: those the enclosing declaration defines before it, plus <c>in</c>,
    /// <c>channels</c>, activations and functions. While the declaration does not parse, the last analysis in
    /// which the file had no syntax error stands in.
    /// </summary>
    private static IEnumerable<CompletionItem> Values(Analysis analysis, AnalyzedDocument document, int offset, Analysis? fallback)
    {
        var scope = NamesInScope(analysis, document, offset);
        if (scope.Count == 0 && fallback is not null && fallback.ByPath.TryGetValue(document.Path, out var previous))
        {
            int line = document.Positions.ToPosition(offset).Line;
            int previousOffset = previous.Positions.ToOffset(new Position(line, 0));
            scope = NamesInScope(fallback, previous, previousOffset);
        }
        foreach (var symbol in scope)
            yield return new CompletionItem(symbol.Name, KindVariable, symbol.Kind.ToString().ToLowerInvariant(), SortText: "0" + symbol.Name);
        yield return new CompletionItem("in", KindValue, "the channels entering the block", SortText: "4in");
        yield return new CompletionItem("channels", KindValue, "the channel count at this point", SortText: "4channels");
        foreach (var activation in LayerCatalog.Activations)
            yield return new CompletionItem(activation, KindValue, "activation", SortText: "5" + activation);
        foreach (var function in LayerCatalog.Functions.Keys)
            yield return new CompletionItem(function, KindFunction, "built-in function", InsertText: function + "($1)", InsertTextFormat: Snippet, SortText: "5" + function);
    }

    private static List<Symbol> NamesInScope(Analysis analysis, AnalyzedDocument document, int offset)
    {
        var declaration = document.Parse.Tree.Declarations.FirstOrDefault(d => d.Span.Start <= offset && offset <= d.Span.End);
        if (declaration is null)
            return [];
        return analysis.Symbols.In(document.Path)
            .Where(o => o.IsDefinition && o.Target is Symbol && declaration.Span.Start <= o.Span.Start && o.Span.End <= offset)
            .Select(o => (Symbol)o.Target)
            .Distinct()
            .ToList();
    }
}
