using System.Linq;
using NetDsl.Model;

namespace NetDsl.Binding
{
    /// <summary>
    /// The static type of a bound value: a scalar (<see cref="DslType"/> int, float, bool, activation), or a tuple or list
    /// of such. Finer than the checker's <see cref="DslType"/>, which only says "a tuple" or "a list": a back end needs the
    /// items' types to declare them.
    /// </summary>
    public abstract record BoundType
    {
        public static readonly BoundType Int = new ScalarType(DslType.Int);
        public static readonly BoundType Float = new ScalarType(DslType.Float);
        public static readonly BoundType Bool = new ScalarType(DslType.Bool);
        public static readonly BoundType Activation = new ScalarType(DslType.Activation);

        public bool IsNumeric => this == Int || this == Float;

        /// <summary>The type both branches of a conditional, or all items of a list, fit in: int widens to float.</summary>
        public static BoundType Unify(BoundType a, BoundType b)
        {
            if (a == b)
                return a;
            if (a.IsNumeric && b.IsNumeric)
                return Float;
            if (a is TupleType ta && b is TupleType tb && ta.Items.Count == tb.Items.Count)
                return new TupleType(ta.Items.Zip(tb.Items, Unify).ToEquatableArray());
            if (a is ListType la && b is ListType lb)
                return new ListType(Unify(la.Element, lb.Element));
            return a;
        }

        /// <summary>The type of a scalar of the checker's kind (a built-in layer's parameter).</summary>
        public static BoundType Of(DslType kind) => kind switch
        {
            DslType.Int => Int,
            DslType.Float => Float,
            DslType.Activation => Activation,
            _ => Bool,
        };

        public static BoundType Of(Syntax.ParameterType type) => type switch
        {
            Syntax.ParameterType.Int => Int,
            Syntax.ParameterType.Float => Float,
            Syntax.ParameterType.Activation => Activation,
            _ => Bool,
        };
    }

    public sealed record ScalarType(DslType Kind) : BoundType;

    public sealed record TupleType(EquatableArray<BoundType> Items) : BoundType;

    public sealed record ListType(BoundType Element) : BoundType;
}
