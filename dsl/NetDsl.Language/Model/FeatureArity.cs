using System.Linq;
using NetDsl.Syntax;

namespace NetDsl.Model
{
    /// <summary>
    /// How many feature maps a block takes and gives: its <c>inputs</c> and <c>outputs</c> statements, one of each when it
    /// has none. A block with either is a graph block: it takes and returns a list of feature maps.
    /// </summary>
    public readonly struct FeatureArity
    {
        public FeatureArity(int inputs, int outputs, bool isGraph)
        {
            Inputs = inputs;
            Outputs = outputs;
            IsGraph = isGraph;
        }

        public int Inputs { get; }

        public int Outputs { get; }

        public bool IsGraph { get; }

        public static FeatureArity Of(Body body)
        {
            var inputs = body.Statements.OfType<InputsStatement>().FirstOrDefault();
            var outputs = body.Statements.OfType<OutputsStatement>().FirstOrDefault();
            return new FeatureArity(inputs?.Names.Count ?? 1, outputs?.Names.Count ?? 1, inputs is not null || outputs is not null);
        }
    }
}
