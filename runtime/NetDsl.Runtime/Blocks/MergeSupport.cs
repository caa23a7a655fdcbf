using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>The checks the merge modules share: their input count, and equal shapes for the element-wise ones.</summary>
internal static class MergeSupport
{
    public static int CheckCount(int inputs) => inputs >= 2
        ? inputs
        : throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "a merge needs at least two features");

    public static void CheckInputs(IReadOnlyList<Tensor> inputs, int expected, string merge)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != expected)
            throw new ArgumentException($"{merge} of {expected} features got {inputs.Count}", nameof(inputs));
    }

    public static void CheckSameShapes(IReadOnlyList<Tensor> inputs, string merge)
    {
        for (var i = 1; i < inputs.Count; i++)
        {
            if (!BlockSupport.SameShape(inputs[i], inputs[0]))
            {
                var listing = string.Join(", ", inputs.Select((x, j) => $"input {j + 1} {BlockSupport.Format(x.shape)}"));
                throw new ArgumentException($"{merge}: every feature must have the same shape, but got {listing}");
            }
        }
    }
}
