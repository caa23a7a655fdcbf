using System;

namespace NetDsl.Checking
{
    /// <summary>PyTorch's output sizes of convolutions and pooling.</summary>
    internal static class ShapeRules
    {
        /// <summary><c>floor((H + 2*pad - dilation*(k-1) - 1) / s) + 1</c>; zero or less means the input is too small.</summary>
        public static long Convolution(long size, long kernel, long stride, long pad, long dilation) =>
            FloorDivide(size + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;

        /// <summary>Pooling: as a convolution, or rounding up with <c>ceil</c> when the last window still starts inside the input or its left padding.</summary>
        public static long Pooling(long size, long kernel, long stride, long pad, bool ceil)
        {
            long span = size + 2 * pad - (kernel - 1) - 1;
            if (!ceil)
                return FloorDivide(span, stride) + 1;
            long output = -FloorDivide(-span, stride) + 1;
            if ((output - 1) * stride >= size + pad)
                output--;
            return output;
        }

        /// <summary>The default padding of conv: <c>dilation*(k-1)/2</c>, "same" for odd kernels at stride 1.</summary>
        /// <summary>A transposed convolution's output size (no output padding, no dilation).</summary>
        public static long TransposedConvolution(long size, long kernel, long stride, long pad) => (size - 1) * stride - 2 * pad + kernel;

        public static long DefaultPadding(long kernel, long dilation) => dilation * (kernel - 1) / 2;

        private static long FloorDivide(long left, long right) => (long)Math.Floor((double)left / right);
    }
}
