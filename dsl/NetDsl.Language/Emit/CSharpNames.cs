using System.Collections.Generic;
using System.Text;

namespace NetDsl.Emit
{
    /// <summary>
    /// Turns names from a <c>.nn</c> file into C# identifiers. Every NetDsl identifier matches
    /// [A-Za-z_][A-Za-z0-9_]*, which is a valid C# identifier, so the only hazards are keywords (escaped
    /// with '@') and clashes with generated members (reported by <see cref="EmitPlanner"/>).
    /// </summary>
    public static class CSharpNames
    {
        private static readonly HashSet<string> Keywords = new HashSet<string>
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
            "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
            "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
            "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
            "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
            "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
            "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
            // Contextual keywords that change meaning where generated code uses names.
            "var", "dynamic", "nameof", "value", "await", "async", "yield", "record", "field", "partial", "when",
            "where", "select", "from", "let", "global", "_", "file", "required", "scoped", "notnull", "unmanaged",
        };

        /// <summary>The identifier as C# source: <c>class</c> becomes <c>@class</c>.</summary>
        public static string Escape(string identifier) => Keywords.Contains(identifier) ? "@" + identifier : identifier;

        /// <summary><c>stem</c> → <c>Stem</c>, <c>layer_1</c> → <c>Layer1</c>, for label properties.</summary>
        public static string ToPascalCase(string identifier) => Model.GeneratedMembers.PropertyName(identifier);

        /// <summary>A C# string literal of an identifier-like text (labels, class names): no escaping is ever needed.</summary>
        public static string Literal(string identifier) => "\"" + identifier + "\"";

        /// <summary>Escapes text for an XML doc comment, so nothing from a <c>.nn</c> file can end the comment.</summary>
        public static string XmlEscape(string text)
        {
            var result = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                switch (c)
                {
                    case '<': result.Append("&lt;"); break;
                    case '>': result.Append("&gt;"); break;
                    case '&': result.Append("&amp;"); break;
                    case '\r':
                    case '\n': result.Append(' '); break;
                    default: result.Append(c); break;
                }
            }
            return result.ToString();
        }
    }
}
