namespace NetDsl.Parsing
{
    /// <summary>
    /// <c>//</c> is both floor division and the line comment. Right after an operand, on the same line, it is a floor
    /// division when the rest of the line (up to a '{' or '}') reads as the end of an expression: only expression
    /// characters, starting with an operand, and never two words in a row (prose) unless the second is a keyword
    /// such as <c>as</c>. <c>out // 4</c> divides; <c>divisible(c, 8) // torchvision's rounding</c> is a comment.
    /// </summary>
    internal static class FloorDivisionTail
    {
        public static bool Continues(string text, int start)
        {
            int position = start;
            while (position < text.Length && (text[position] == ' ' || text[position] == '\t'))
                position++;
            if (position >= text.Length || !IsOperandStart(text[position]))
                return false;

            bool previousWasWord = false;
            while (position < text.Length)
            {
                char c = text[position];
                if (c == '\n' || c == '\r' || c == '{' || c == '}')
                    return true;
                if (c == '/' && position + 1 < text.Length && (text[position + 1] == '/' || text[position + 1] == '*'))
                    return true;
                if (!Lexicon.IsExpressionCharacter(c))
                    return false;
                if (Lexicon.IsIdentifierPart(c))
                {
                    int end = Lexicon.IsIdentifierStart(c) ? Lexicon.ScanIdentifier(text, position) : Lexicon.ScanNumber(text, position);
                    if (end == position)
                        end = position + 1;
                    string word = text.Substring(position, end - position);
                    if (previousWasWord && !Lexicon.Keywords.Contains(word))
                        return false;
                    previousWasWord = true;
                    position = end;
                    continue;
                }
                if (c != ' ' && c != '\t')
                    previousWasWord = false;
                position++;
            }
            return true;
        }

        private static bool IsOperandStart(char c) => Lexicon.IsIdentifierPart(c) || c == '(' || c == '[' || c == '-' || c == '!';
    }
}
