using static TorchSharp.torch;

namespace NetDsl.Runtime;

/// <summary>
/// What the composite blocks share: disposing the intermediates a forward pass created, concatenating
/// on channels with a readable error, and formatting shapes for messages.
/// </summary>
internal static class BlockSupport
{
    /// <summary>
    /// Disposes every distinct tensor in <paramref name="tensors"/> except <paramref name="keep"/> (the
    /// block's input, which a sub-module may hand back unchanged). Nulls are skipped; a tensor listed
    /// twice is disposed once.
    /// </summary>
    public static void DisposeAllExcept(IEnumerable<Tensor?> tensors, Tensor keep)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var tensor in tensors)
        {
            if (tensor is not null && !ReferenceEquals(tensor, keep) && seen.Add(tensor))
                tensor.Dispose();
        }
    }

    /// <summary>
    /// Concatenates <paramref name="parts"/> on dimension 1 after checking that they agree on every other
    /// dimension; otherwise throws an <see cref="ArgumentException"/> that names each part and its shape.
    /// </summary>
    /// <param name="parts">The tensors to join, in order.</param>
    /// <param name="context">What is concatenating, e.g. "parallel concat", for the message.</param>
    /// <param name="partName">The name of part i, e.g. "path1", for the message.</param>
    public static Tensor ConcatChannels(IReadOnlyList<Tensor> parts, string context, Func<int, string> partName)
    {
        var first = parts[0].shape;
        for (var i = 1; i < parts.Count; i++)
        {
            var shape = parts[i].shape;
            var agree = shape.Length == first.Length &&
                        Enumerable.Range(0, first.Length).All(d => d == 1 || shape[d] == first[d]);
            if (!agree)
            {
                var listing = string.Join(", ", parts.Select((p, j) => $"{partName(j)} {Format(p.shape)}"));
                throw new ArgumentException(
                    $"{context}: cannot concatenate on channels because the shapes differ outside dimension 1: {listing}");
            }
        }
        return cat(parts.ToArray(), 1);
    }

    /// <summary>Formats a shape as <c>[1, 64, 56, 56]</c>.</summary>
    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Whether two shapes are equal element by element.</summary>
    public static bool SameShape(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);
}
