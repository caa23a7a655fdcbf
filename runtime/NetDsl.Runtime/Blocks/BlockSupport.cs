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
    /// <remarks>Runs on every forward pass, so it allocates nothing: the lists are a handful of paths.</remarks>
    public static void DisposeAllExcept(ReadOnlySpan<Tensor?> tensors, Tensor keep)
    {
        for (var i = 0; i < tensors.Length; i++)
        {
            var tensor = tensors[i];
            if (tensor is null || ReferenceEquals(tensor, keep) || AppearsBefore(tensors, i))
                continue;
            tensor.Dispose();
        }
    }

    /// <inheritdoc cref="DisposeAllExcept(ReadOnlySpan{Tensor}, Tensor)"/>
    public static void DisposeAllExcept(List<Tensor> tensors, Tensor keep) =>
        DisposeAllExcept(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tensors), keep);

    private static bool AppearsBefore(ReadOnlySpan<Tensor?> tensors, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (ReferenceEquals(tensors[j], tensors[index]))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Concatenates <paramref name="parts"/> on dimension 1 after checking that they agree on every other
    /// dimension; otherwise throws an <see cref="ArgumentException"/> that names each part and its shape.
    /// </summary>
    /// <param name="parts">The tensors to join, in order.</param>
    /// <param name="context">What is concatenating, e.g. "parallel concat", for the message.</param>
    /// <param name="partName">The name of part i, e.g. "path1", for the message.</param>
    public static Tensor ConcatChannels(IList<Tensor> parts, string context, Func<int, string> partName)
    {
        for (var i = 1; i < parts.Count; i++)
        {
            if (!SameShapeOutsideChannels(parts[i], parts[0]))
            {
                var listing = string.Join(", ", parts.Select((p, j) => $"{partName(j)} {Format(p.shape)}"));
                throw new ArgumentException(
                    $"{context}: cannot concatenate on channels because the shapes differ outside dimension 1: {listing}");
            }
        }
        return cat(parts, 1);
    }

    /// <summary>Formats a shape as <c>[1, 64, 56, 56]</c>.</summary>
    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Whether two tensors have equal shapes (read dimension by dimension: <c>Tensor.shape</c> allocates).</summary>
    public static bool SameShape(Tensor a, Tensor b)
    {
        var rank = a.dim();
        if (rank != b.dim())
            return false;
        for (var d = 0; d < rank; d++)
        {
            if (a.size(d) != b.size(d))
                return false;
        }
        return true;
    }

    private static bool SameShapeOutsideChannels(Tensor a, Tensor b)
    {
        var rank = a.dim();
        if (rank != b.dim())
            return false;
        for (var d = 0; d < rank; d++)
        {
            if (d != 1 && a.size(d) != b.size(d))
                return false;
        }
        return true;
    }
}
