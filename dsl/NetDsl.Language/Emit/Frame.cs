namespace NetDsl.Emit
{
    /// <summary>The feature shape a sequence of statements advances: its C# variable and whether features are flat.</summary>
    internal sealed class ShapeState
    {
        public ShapeState(string variable, bool isFlat = false)
        {
            Variable = variable;
            IsFlat = isFlat;
        }

        public string Variable { get; }

        public bool IsFlat { get; set; }
    }

    /// <summary>Where statements are being emitted: the sequence they append to, the shape they advance, the names they see.</summary>
    internal sealed class Frame
    {
        public Frame(Scope scope, ShapeState shape, string inChannels, string? target, CodeBlock block, bool isClassLevel, bool inLoop, bool inConditional)
        {
            Scope = scope;
            ShapeState = shape;
            InChannels = inChannels;
            Target = target;
            Block = block;
            IsClassLevel = isClassLevel;
            InLoop = inLoop;
            InConditional = inConditional;
        }

        public Scope Scope { get; }

        public ShapeState ShapeState { get; }

        public string Shape => ShapeState.Variable;

        /// <summary>The C# expression of <c>in</c>: the channels entering the enclosing block or network.</summary>
        public string InChannels { get; }

        /// <summary>The sequence appended to; null for the class itself (<c>Append(...)</c>).</summary>
        public string? Target { get; }

        public CodeBlock Block { get; }

        /// <summary>Statements directly in the declaration's body (through if): their labels become properties.</summary>
        public bool IsClassLevel { get; }

        public bool InLoop { get; }

        public bool InConditional { get; }

        public string Append => Target == null ? "Append" : Target + ".Append";

        public Frame WithScope(Scope scope) =>
            new Frame(scope, ShapeState, InChannels, Target, Block, IsClassLevel, InLoop, InConditional);

        /// <summary>A nested C# block of the same sequence (loop or if body).</summary>
        public Frame Nested(CodeBlock block, bool loop, bool conditional) =>
            new Frame(new Scope(Scope), ShapeState, InChannels, Target, block, IsClassLevel && !loop, InLoop || loop, InConditional || conditional);

        /// <summary>A new sequence (group, path, residual body, dense layer) with its own shape variable.</summary>
        public Frame Sequence(string target, ShapeState shape) =>
            new Frame(new Scope(Scope), shape, InChannels, target, Block, false, InLoop, InConditional);
    }
}
