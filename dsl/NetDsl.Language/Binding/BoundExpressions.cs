using System.Linq;
using NetDsl.Syntax;

namespace NetDsl.Binding
{
    public enum VariableKind
    {
        Parameter,
        Let,
        LoopVariable,
        FunctionParameter,
    }

    /// <summary>
    /// A value a declaration names: a parameter, let, loop variable or function parameter. <see cref="Id"/> is unique
    /// within its declaration (numbered in binding order), so two variables of one name in different scopes stay apart.
    /// </summary>
    public sealed record BoundVariable(int Id, string Name, VariableKind Kind, BoundType Type);

    /// <summary>
    /// An expression with every name resolved and its static type known. <see cref="IsConstant"/>: it depends on no
    /// parameter, variable or feature shape, so the checker has already seen its only value.
    /// </summary>
    public abstract record BoundExpression(BoundType Type)
    {
        public abstract bool IsConstant { get; }
    }

    public sealed record BoundIntLiteral(long Value) : BoundExpression(BoundType.Int)
    {
        public override bool IsConstant => true;
    }

    public sealed record BoundFloatLiteral(double Value) : BoundExpression(BoundType.Float)
    {
        public override bool IsConstant => true;
    }

    public sealed record BoundBoolLiteral(bool Value) : BoundExpression(BoundType.Bool)
    {
        public override bool IsConstant => true;
    }

    /// <summary>A built-in activation used as a value (<c>relu</c>), by its name in <see cref="Model.LayerCatalogue"/>.</summary>
    public sealed record BoundActivationLiteral(string Name) : BoundExpression(BoundType.Activation)
    {
        public override bool IsConstant => true;
    }

    public sealed record BoundVariableReference(BoundVariable Variable) : BoundExpression(Variable.Type)
    {
        public override bool IsConstant => false;
    }

    /// <summary><c>in</c>: the channels entering the declaration.</summary>
    public sealed record BoundInputChannels() : BoundExpression(BoundType.Int)
    {
        public override bool IsConstant => false;
    }

    /// <summary><c>channels</c>: the channels of the features where the expression is evaluated.</summary>
    public sealed record BoundCurrentChannels() : BoundExpression(BoundType.Int)
    {
        public override bool IsConstant => false;
    }

    public sealed record BoundUnary(UnaryOperator Operator, BoundExpression Operand) : BoundExpression(Operand.Type)
    {
        public override bool IsConstant => Operand.IsConstant;
    }

    /// <summary>
    /// A binary operator with the language's meaning: <c>/</c> is real division (float even for two ints), <c>//</c> and
    /// <c>%</c> floor, <c>^</c> of two ints is an int.
    /// </summary>
    public sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, BoundType ResultType)
        : BoundExpression(ResultType)
    {
        public override bool IsConstant => Left.IsConstant && Right.IsConstant;

        public bool IsIntegral => Left.Type == BoundType.Int && Right.Type == BoundType.Int;
    }

    public sealed record BoundConditional(BoundExpression Condition, BoundExpression WhenTrue, BoundExpression WhenFalse, BoundType ResultType)
        : BoundExpression(ResultType)
    {
        public override bool IsConstant => Condition.IsConstant && WhenTrue.IsConstant && WhenFalse.IsConstant;
    }

    public enum BuiltinFunction
    {
        Min,
        Max,
        Abs,
        Ceil,
        Floor,
        Round,
        Len,
        Sum,
        Divisible,
    }

    public sealed record BoundBuiltinCall(BuiltinFunction Function, EquatableArray<BoundExpression> Arguments, BoundType ResultType)
        : BoundExpression(ResultType)
    {
        public override bool IsConstant => Arguments.All(argument => argument.IsConstant);
    }

    /// <summary>
    /// A call of a <c>let f(x) = ...</c> function: <see cref="Instance"/> is the index of the typed body for these
    /// argument types in the function's <see cref="BoundFunction.Instances"/>.
    /// </summary>
    public sealed record BoundFunctionCall(int FunctionId, string Name, int Instance, EquatableArray<BoundExpression> Arguments, BoundType ResultType)
        : BoundExpression(ResultType)
    {
        public override bool IsConstant => false;
    }

    /// <summary><c>list[i]</c></summary>
    public sealed record BoundListIndex(BoundExpression List, BoundExpression Index, BoundType ElementType) : BoundExpression(ElementType)
    {
        public override bool IsConstant => List.IsConstant && Index.IsConstant;
    }

    /// <summary><c>tuple[1]</c>: the index is a literal within the tuple's length.</summary>
    public sealed record BoundTupleItem(BoundExpression Tuple, int Position, BoundType ItemType) : BoundExpression(ItemType)
    {
        public override bool IsConstant => Tuple.IsConstant;
    }

    public sealed record BoundTuple(EquatableArray<BoundExpression> Items, TupleType TupleType) : BoundExpression(TupleType)
    {
        public override bool IsConstant => Items.All(item => item.IsConstant);
    }

    public sealed record BoundList(EquatableArray<BoundExpression> Items, ListType ListType) : BoundExpression(ListType)
    {
        public override bool IsConstant => Items.All(item => item.IsConstant);
    }

    /// <summary>
    /// The default padding of a convolution (<see cref="Model.DefaultRule.SamePadding"/>): <c>dilation * (k - 1) / 2</c>,
    /// which keeps the size at stride 1. The binder folds it to a literal when both are literals.
    /// </summary>
    public sealed record BoundSamePadding(BoundExpression Kernel, BoundExpression Dilation) : BoundExpression(BoundType.Int)
    {
        public override bool IsConstant => Kernel.IsConstant && Dilation.IsConstant;
    }

    /// <summary>
    /// A float where the language needs an int (a kernel size, a count, a channel count): the value must be whole, which is
    /// checked where it is evaluated. <see cref="What"/> names the place for the message ("k of conv", "the repeat count").
    /// </summary>
    public sealed record BoundWholeNumber(BoundExpression Operand, string What, bool IsChannelCount) : BoundExpression(BoundType.Int)
    {
        public override bool IsConstant => Operand.IsConstant;
    }

    /// <summary>
    /// A <c>let</c> function: one typed body per distinct list of argument types it is called with, in the order of
    /// first use (a function body is generic in the language; a typed back end needs one per use).
    /// </summary>
    public sealed record BoundFunction(int Id, string Name, EquatableArray<BoundFunctionInstance> Instances);

    public sealed record BoundFunctionInstance(EquatableArray<BoundVariable> Parameters, BoundExpression Body);
}
