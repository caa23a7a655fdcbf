namespace NetDsl.Emit
{
    /// <summary>A labelled part exposed as a typed property of the generated class.</summary>
    internal sealed record LabelProperty(string Name, string Type, bool IsNullable, string Label);
}
