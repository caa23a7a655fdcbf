using System.Text;

namespace NetDsl.Emit
{
    /// <summary>C# string literals of text from a <c>.nn</c> file (names, descriptions) in generated code.</summary>
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

    }
}
