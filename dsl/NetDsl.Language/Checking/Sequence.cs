using System.Collections.Generic;
using NetDsl.Diagnostics;
using NetDsl.Model;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>
    /// One numbered module sequence (a network's or block's body, a group, a path...): hands out the
    /// state-dict names (<c>0</c>, <c>1</c>, or a label) and collects the summary rows.
    /// </summary>
    internal sealed class Sequence
    {
        private readonly Dictionary<string, Identifier> labels = new Dictionary<string, Identifier>();
        private int nextIndex;

        public Sequence(string prefix, int depth, List<LayerReport> rows)
        {
            Prefix = prefix;
            Depth = depth;
            Rows = rows;
        }

        /// <summary>The state-dict prefix of the modules in this sequence (empty at the network's top).</summary>
        public string Prefix { get; }

        /// <summary>The depth of this sequence's rows.</summary>
        public int Depth { get; }

        public List<LayerReport> Rows { get; }

        public string Qualify(string name) => Prefix.Length == 0 ? name : Prefix + "." + name;

        /// <summary>The next module's full path: its label, or the next number of the unlabelled ones.</summary>
        public string Next(Identifier? label, Frame frame, EvaluationContext context)
        {
            if (label is null)
                return Qualify((nextIndex++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (labels.TryGetValue(label.Text, out var first) && !ReferenceEquals(first, label))
                context.Report(DiagnosticCatalog.DuplicateLabel, frame.Source, label.Span, label.Text, DiagnosticBag.Where(frame.Source, first.Span));
            else if (labels.ContainsKey(label.Text))
                context.Report(DiagnosticCatalog.DuplicateLabel, frame.Source, label.Span, label.Text, "an earlier pass of the same loop");
            labels[label.Text] = label;
            return Qualify(label.Text);
        }

        /// <summary>
        /// A copy that numbers the next module as this one would, with rows of its own: a layer shared by several feature
        /// maps is evaluated once per feature map into a fork, for their shapes and MACs, and added once.
        /// </summary>
        public Sequence Fork()
        {
            var fork = new Sequence(Prefix, Depth, new List<LayerReport>()) { nextIndex = nextIndex };
            foreach (var label in labels)
                fork.labels[label.Key] = label.Value;
            return fork;
        }

        /// <summary>A nested sequence for a container's inside, one level deeper.</summary>
        public Sequence Child(string path) => new Sequence(path, Depth + 1, Rows);

        /// <summary>Reserves a container's row; <see cref="Complete"/> fills in its totals once its inside is evaluated.</summary>
        public int Reserve() 
        {
            Rows.Add(null!);
            return Rows.Count - 1;
        }

        /// <summary>Writes a container row whose totals are the sum of its direct children (plus its own cost).</summary>
        public void Complete(int index, string path, string kind, LayerStructure structure, string description, FeatureShape? output, SourceLocation location)
        {
            long parameters = 0, macs = 0;
            for (int i = index + 1; i < Rows.Count; i++)
            {
                if (Rows[i].Depth == Depth + 1)
                {
                    parameters += Rows[i].Parameters;
                    macs += Rows[i].Macs;
                }
            }
            Rows[index] = new LayerReport(path, kind, description, output, parameters, macs, Depth, location) { Structure = structure };
        }

        public void Add(LayerReport row) => Rows.Add(row);
    }
}
