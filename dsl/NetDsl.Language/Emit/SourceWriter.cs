using System;
using System.Text;

namespace NetDsl.Emit
{
    /// <summary>Writes C# with indentation, like System.Text.Json's generator: one line at a time, braces indent.</summary>
    public sealed class SourceWriter
    {
        private const int IndentSize = 4;
        private readonly StringBuilder text = new StringBuilder();

        public int Indentation { get; set; }

        public SourceWriter WriteLine(string line = "")
        {
            if (line.Length > 0)
                text.Append(' ', Indentation * IndentSize).Append(line);
            text.Append('\n');
            return this;
        }

        /// <summary>Writes every line of <paramref name="lines"/> at the current indentation (for pre-rendered blocks).</summary>
        public SourceWriter WriteLines(string lines)
        {
            foreach (var line in lines.Split('\n'))
            {
                if (line.Length > 0)
                    WriteLine(line);
            }
            return this;
        }

        public SourceWriter OpenBrace(string? header = null)
        {
            if (header != null)
                WriteLine(header);
            WriteLine("{");
            Indentation++;
            return this;
        }

        public SourceWriter CloseBrace(string suffix = "")
        {
            Indentation--;
            return WriteLine("}" + suffix);
        }

        public override string ToString() => text.ToString();
    }
}
