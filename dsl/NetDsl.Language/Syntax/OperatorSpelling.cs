namespace NetDsl.Syntax
{
    /// <summary>How the language spells its operators, for messages and for printing trees.</summary>
    public static class OperatorSpelling
    {
        public static string Text(this BinaryOperator op) => op switch
        {
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "-",
            BinaryOperator.Multiply => "*",
            BinaryOperator.Divide => "/",
            BinaryOperator.FloorDivide => "div",
            BinaryOperator.Modulo => "%",
            BinaryOperator.Power => "^",
            BinaryOperator.Equal => "==",
            BinaryOperator.NotEqual => "!=",
            BinaryOperator.Less => "<",
            BinaryOperator.LessOrEqual => "<=",
            BinaryOperator.Greater => ">",
            BinaryOperator.GreaterOrEqual => ">=",
            BinaryOperator.And => "&&",
            BinaryOperator.Or => "||",
            _ => op.ToString(),
        };

        public static string Text(this UnaryOperator op) => op == UnaryOperator.Negate ? "-" : "!";
    }
}
