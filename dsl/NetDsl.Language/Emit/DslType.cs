using System.Linq;

namespace NetDsl.Emit
{
    /// <summary>The static type of a NetDsl value, and its C# spelling in generated code.</summary>
    public abstract record DslType
    {
        public static readonly DslType Int = new ScalarType("long");
        public static readonly DslType Float = new ScalarType("double");
        public static readonly DslType Bool = new ScalarType("bool");
        public static readonly DslType Activation = new ScalarType("global::NetDsl.Runtime.Composition.Activation");

        public abstract string CSharp { get; }

        public bool IsNumeric => this == Int || this == Float;

        /// <summary>The type both branches of a conditional, or all items of a list, fit in: int widens to float.</summary>
        public static DslType Unify(DslType a, DslType b)
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
    }

    public sealed record ScalarType(string Name) : DslType
    {
        public override string CSharp => Name;
    }

    public sealed record TupleType(EquatableArray<DslType> Items) : DslType
    {
        public override string CSharp => "(" + string.Join(", ", Items.Select(item => item.CSharp)) + ")";
    }

    public sealed record ListType(DslType Element) : DslType
    {
        public override string CSharp => Element.CSharp + "[]";
    }
}
