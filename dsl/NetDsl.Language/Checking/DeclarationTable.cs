using System.Collections.Generic;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>All declarations of all files by name, with the file each comes from; reports duplicates and clashes.</summary>
    internal sealed class DeclarationTable
    {
        private readonly Dictionary<string, Declaration> byName = new Dictionary<string, Declaration>();

        public Dictionary<string, NetworkDeclaration> Networks { get; } = new Dictionary<string, NetworkDeclaration>();

        public Dictionary<string, BlockDeclaration> Blocks { get; } = new Dictionary<string, BlockDeclaration>();

        public Dictionary<string, VariantDeclaration> Variants { get; } = new Dictionary<string, VariantDeclaration>();

        /// <summary>Every declaration (duplicates included, so they are still checked) with its file, in order.</summary>
        public List<(Declaration Declaration, SyntaxTree Tree)> All { get; } = new List<(Declaration, SyntaxTree)>();

        public Dictionary<Declaration, SyntaxTree> Trees { get; } = new Dictionary<Declaration, SyntaxTree>(ReferenceComparer<Declaration>.Instance);

        public static DeclarationTable Collect(IEnumerable<SyntaxTree> trees, DiagnosticBag diagnostics)
        {
            var table = new DeclarationTable();
            foreach (var tree in trees)
            {
                foreach (var declaration in tree.Declarations)
                    table.Add(declaration, tree, diagnostics);
            }
            return table;
        }

        public Declaration? Find(string name) => byName.TryGetValue(name, out var declaration) ? declaration : null;

        public IEnumerable<string> Names => byName.Keys;

        private void Add(Declaration declaration, SyntaxTree tree, DiagnosticBag diagnostics)
        {
            All.Add((declaration, tree));
            Trees[declaration] = tree;
            var source = tree.Source;
            string name = declaration.Name.Text;
            string? clash = Builtins.ClashKind(name);
            if (clash == "layer" || clash == "activation")
                diagnostics.Report(DiagnosticCatalog.BuiltinNameClash, source, declaration.Name.Span, name, clash);

            if (byName.TryGetValue(name, out var first))
            {
                var firstSource = Trees[first].Source;
                diagnostics.Report(DiagnosticCatalog.DuplicateDeclaration, source, declaration.Name.Span, name,
                    DiagnosticBag.Where(firstSource, first.Name.Span, source));
                return;
            }
            byName[name] = declaration;
            switch (declaration)
            {
                case NetworkDeclaration network:
                    Networks[name] = network;
                    break;
                case BlockDeclaration block:
                    Blocks[name] = block;
                    break;
                case VariantDeclaration variant:
                    Variants[name] = variant;
                    break;
            }
        }
    }
}
