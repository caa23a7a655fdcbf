using System;

namespace NetDsl.Costs
{
    /// <summary>
    /// Parameter and MAC formulas, one per layer kind, with torchvision's model-card convention: a convolution
    /// costs <c>Cout*Hout*Wout*(Cin/groups)*kh*kw</c> MACs, a linear layer <c>in*out</c>; batch norm,
    /// activations, pooling and element-wise operations cost no MACs.
    /// </summary>
    public static class CostModel
    {
        /// <summary>Bytes per parameter at fp32 over 2^20: the size in MiB.</summary>
        public static double SizeMiB(long parameters) => parameters * 4.0 / (1 << 20);

        /// <summary>Conv2d: <c>out*(in/groups)*k*k</c> weights, plus <c>out</c> with bias; MACs the weights times <c>Hout*Wout</c>.</summary>
        public static LayerCost Convolution(long inChannels, long outChannels, long kernel, long groups, bool bias, long outHeight, long outWidth)
        {
            long weights = outChannels * (inChannels / groups) * kernel * kernel;
            return new LayerCost(weights + (bias ? outChannels : 0), weights * outHeight * outWidth);
        }

        /// <summary>Linear: <c>in*out</c> weights plus <c>out</c> with bias; MACs <c>in*out</c>.</summary>
        /// <summary>
        /// A transposed convolution: the same weights as the convolution it transposes; each input pixel multiplies the whole
        /// kernel, so MACs = in x out x k x k x the input's H x W.
        /// </summary>
        public static LayerCost TransposedConvolution(long inChannels, long outChannels, long kernel, bool bias, long inHeight, long inWidth)
        {
            long weights = inChannels * outChannels * kernel * kernel;
            return new LayerCost(weights + (bias ? outChannels : 0), weights * inHeight * inWidth);
        }

        public static LayerCost Linear(long inFeatures, long outFeatures, bool bias) =>
            new LayerCost(inFeatures * outFeatures + (bias ? outFeatures : 0), inFeatures * outFeatures);

        /// <summary>BatchNorm: a scale and a shift per channel (running statistics are buffers, not parameters).</summary>
        public static LayerCost BatchNorm(long channels) => new LayerCost(2 * channels, 0);

        /// <summary>Squeeze-and-excitation: two 1x1 convs with bias (C to S, S to C) at 1x1: <c>2CS + S + C</c> parameters, <c>2CS</c> MACs.</summary>
        public static LayerCost SqueezeExcite(long channels, long squeeze) =>
            new LayerCost(2 * channels * squeeze + squeeze + channels, 2 * channels * squeeze);

        /// <summary>CompConv depth: <c>d</c> if given, else adaptive <c>min(floor(log2(max(1, in / c0))) + 1, 3)</c>.</summary>
        public static int CompConvDepth(long inChannels, long c0)
        {
            double ratio = Math.Max(1.0, (double)inChannels / c0);
            int depth = 0;
            while (Math.Pow(2, depth + 1) <= ratio)
                depth++;
            return Math.Min(depth + 1, 3);
        }

        /// <summary>CompConv's smallest unit: <c>P = ceil(out / (2 * (2^d - 1)))</c> (d at least 1).</summary>
        public static long CompConvUnit(long outChannels, int depth)
        {
            long divisor = 2 * ((1L << depth) - 1);
            return (outChannels + divisor - 1) / divisor;
        }

        /// <summary>
        /// CompConv without bias: the seed conv reads <c>in</c> channels and makes <c>P</c>; expansion <c>i</c> maps
        /// <c>2^(i-1)*P</c> channels to as many, so the weights are <c>k*k*(in*P + P*P*(4^d - 1)/3)</c>, all at
        /// the output size. <c>d = 0</c> is a plain conv.
        /// </summary>
        public static LayerCost CompConv(long inChannels, long outChannels, long kernel, int depth, long outHeight, long outWidth)
        {
            if (depth == 0)
                return Convolution(inChannels, outChannels, kernel, 1, false, outHeight, outWidth);
            long unit = CompConvUnit(outChannels, depth);
            long weights = kernel * kernel * (inChannels * unit + unit * unit * (((1L << (2 * depth)) - 1) / 3));
            return new LayerCost(weights, weights * outHeight * outWidth);
        }
    }
}
