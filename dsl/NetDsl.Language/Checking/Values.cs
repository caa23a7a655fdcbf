using System.Globalization;
using System.Linq;
using NetDsl.Model;

namespace NetDsl.Checking
{
    /// <summary>A value computed while evaluating a network; a null <see cref="Value"/> means "unknown after an error".</summary>
    internal abstract record Value
    {
        public abstract DslType Type { get; }

        /// <summary>The type and value as a message names them: <c>the float 2.5</c>.</summary>
        public string Describe() => $"the {TypeNames.Of(Type)} {this}";
    }

    internal sealed record IntValue(long Value) : Value
    {
        public override DslType Type => DslType.Int;

        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    internal sealed record FloatValue(double Value) : Value
    {
        public override DslType Type => DslType.Float;

        public override string ToString() => Format(Value);

        /// <summary><c>21.333</c>, <c>0.5</c>, <c>8.0</c>: three decimals at most, always a point.</summary>
        public static string Format(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);
    }

    internal sealed record BoolValue(bool Value) : Value
    {
        public override DslType Type => DslType.Bool;

        public override string ToString() => Value ? "true" : "false";
    }

    internal sealed record ActivationValue(string Name) : Value
    {
        public override DslType Type => DslType.Activation;

        public override string ToString() => Name;
    }

    /// <summary>A value with items that can be indexed and iterated: a tuple or a list.</summary>
    internal abstract record SequenceValue(EquatableArray<Value?> Items) : Value;

    internal sealed record TupleValue(EquatableArray<Value?> Items) : SequenceValue(Items)
    {
        public override DslType Type => DslType.Tuple;

        public override string ToString() => "(" + string.Join(", ", Items.Select(i => i?.ToString() ?? "?")) + ")";
    }

    internal sealed record ListValue(EquatableArray<Value?> Items) : SequenceValue(Items)
    {
        public override DslType Type => DslType.List;

        public override string ToString() => "[" + string.Join(", ", Items.Select(i => i?.ToString() ?? "?")) + "]";
    }

    internal static class TypeNames
    {
        public static string Of(DslType type) => type switch
        {
            DslType.Int => "int",
            DslType.Float => "float",
            DslType.Bool => "bool",
            DslType.Activation => "activation",
            DslType.Tuple => "tuple",
            DslType.List => "list",
            _ => "value",
        };

        /// <summary><c>an int</c>, <c>a float</c>: for "must be an int".</summary>
        public static string WithArticle(DslType type) => type == DslType.Int || type == DslType.Activation ? "an " + Of(type) : "a " + Of(type);
    }
}
