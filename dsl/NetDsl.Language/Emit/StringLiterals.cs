using System.Text;
using NetDsl.Diagnostics;

namespace NetDsl.Emit
{
    /// <summary>C# string literals of catalogue messages, for the run-time checks of generated code.</summary>
    internal static class StringLiterals
    {
        public static string Quote(string text)
        {
            var result = new StringBuilder(text.Length + 2).Append('"');
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': result.Append("\\\""); break;
                    case '\\': result.Append("\\\\"); break;
                    case '\n': result.Append("\\n"); break;
                    case '\r': result.Append("\\r"); break;
                    default:
                        if (c < ' ' || c > '~')
                            result.Append("\\u").Append(((int)c).ToString("x4"));
                        else
                            result.Append(c);
                        break;
                }
            }
            return result.Append('"').ToString();
        }

        /// <summary>
        /// The catalogue message with the parts known at generation time filled in, and <c>null</c> arguments left
        /// as run-time placeholders <c>{0}</c>, <c>{1}</c>, … in order, as a C# literal for string.Format.
        /// </summary>
        public static string PartialFormat(DiagnosticDescriptor descriptor, params string?[] arguments)
        {
            var placeholders = 0;
            var filled = new object[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
                filled[i] = arguments[i] ?? "\u0001" + (char)('0' + placeholders++) + "\u0002";
            var text = descriptor.Format(filled).Replace("{", "{{").Replace("}", "}}").Replace("\u0001", "{").Replace("\u0002", "}");
            return Quote(text);
        }
    }
}
