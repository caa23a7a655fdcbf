using System.Collections.Generic;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>The state shared while binding one declaration: where to record results and which names were used.</summary>
    internal sealed class BinderContext
    {
        public BinderContext(SemanticModel model, BindingTable bindings, DeclarationTable declarations, DiagnosticBag diagnostics, SourceText source)
        {
            Model = model;
            Bindings = bindings;
            Declarations = declarations;
            Diagnostics = diagnostics;
            Source = source;
        }

        public SemanticModel Model { get; }

        public BindingTable Bindings { get; }

        public DeclarationTable Declarations { get; }

        public DiagnosticBag Diagnostics { get; }

        public SourceText Source { get; }

        public HashSet<Symbol> Used { get; } = new HashSet<Symbol>();

        /// <summary>A misspelt name may be the use of a parameter or let, so "unused" warnings would only add noise.</summary>
        public bool HasUnknownNames { get; set; }

        /// <summary>Lets and functions in declaration order, for the unused warning.</summary>
        public List<Symbol> Lets { get; } = new List<Symbol>();

        /// <summary>Blocks used by this declaration, with the statement that uses them (for recursion detection).</summary>
        public List<(LayerStatement Use, BlockDeclaration Block)> BlockUses { get; } = new List<(LayerStatement, BlockDeclaration)>();

        public void Report(NetDsl.Diagnostics.DiagnosticDescriptor descriptor, TextSpan span, params object[] arguments) =>
            Diagnostics.Report(descriptor, Source, span, arguments);

        public string Text(TextSpan span) => Source.ToString(span);

        /// <summary>Declares a user name, reporting a clash with a built-in or a second definition in the same scope.</summary>
        public Symbol Declare(Scope scope, SymbolKind kind, Identifier name, DslType type)
        {
            var symbol = new Symbol(kind, name.Text, name, type);
            string? clash = Builtins.ClashKind(name.Text);
            // Still declared below, so its uses resolve; the generated constructor would read it instead of the inherited member.
            if (GeneratedMembers.UsedByConstructors.Contains(name.Text))
                Report(NetDsl.Diagnostics.DiagnosticCatalog.ReservedName, name.Span, name.Text,
                    "is a member of every generated module, which the generated code uses by this name");
            if (clash is "activation" or "value")
            {
                Report(NetDsl.Diagnostics.DiagnosticCatalog.BuiltinNameClash, name.Span, name.Text, clash);
            }
            else if (scope.LookupHere(name.Text) is { Declaration: { } first })
            {
                // Keep the first definition visible and do not warn about the second as unused: one error is enough.
                Used.Add(symbol);
                Model.SetDeclaredSymbol(name, symbol);
                var code = kind == SymbolKind.Parameter ? NetDsl.Diagnostics.DiagnosticCatalog.DuplicateParameter : NetDsl.Diagnostics.DiagnosticCatalog.DuplicateName;
                if (kind == SymbolKind.Parameter)
                    Report(code, name.Span, name.Text);
                else
                    Report(code, name.Span, name.Text, DiagnosticBag.Where(Source, first.Span));
                return symbol;
            }
            scope.Declare(symbol);
            Model.SetDeclaredSymbol(name, symbol);
            return symbol;
        }
    }
}
