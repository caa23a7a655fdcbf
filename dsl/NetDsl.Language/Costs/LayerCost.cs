namespace NetDsl.Costs
{
    /// <summary>Trainable parameters and multiply-accumulates of one layer at one input size.</summary>
    public readonly record struct LayerCost(long Parameters, long Macs)
    {
        public static readonly LayerCost Zero = new LayerCost(0, 0);

        public static LayerCost operator +(LayerCost left, LayerCost right) =>
            new LayerCost(left.Parameters + right.Parameters, left.Macs + right.Macs);
    }
}
