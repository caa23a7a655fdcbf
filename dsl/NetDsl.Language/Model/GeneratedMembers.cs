using System.Collections.Generic;
using System.Text;

namespace NetDsl.Model
{
    /// <summary>
    /// The names that a <c>.nn</c> declaration turns into in generated code, and the names that code already
    /// uses. The checker reports clashes with them (NN0135, NN0136), so every back end can print names as
    /// they are; they live here, beside the model, so the checker and the emitters read one list.
    /// </summary>
    public static class GeneratedMembers
    {
        /// <summary>The class listing the project's models (<c>NetDslModels.g.cs</c>); no declaration may take its name, in any case.</summary>
        public const string RegistryClassName = "NetDslModels";

        /// <summary>The static member of every network and variant class that holds the checker's figures.</summary>
        public const string FiguresMember = "Figures";

        /// <summary>
        /// Members every generated class has (from <c>SequentialModule</c>, <c>Module</c> and <c>object</c>): a label's
        /// property may not take one of these names.
        /// </summary>
        public static readonly IReadOnlyCollection<string> Inherited = new HashSet<string>
        {
            "Append", "Count", "InputShape", "OutputShape", "Dispose", "Equals", "GetHashCode", "GetType", "ToString",
            "MemberwiseClone", "Finalize", "GetName", FiguresMember,
            // Graph networks and blocks (FeatureModule, GraphBlock, GraphNetwork).
            "AppendBlock", "Keep", "Recall", "Merge", "ResizeTo", "SetSlotCount", "RunSteps", "SetOutputs", "InputShapes", "OutputShapes",
            "OutputNames", "ForwardFeatures", "CreateOutputs", "Outputs", "FeatureSlots",
        };

        /// <summary>
        /// Inherited members that a generated constructor uses by their simple name, so a parameter, <c>let</c> or loop
        /// variable of the same name would hide them.
        /// </summary>
        public static readonly IReadOnlyCollection<string> UsedByConstructors = new HashSet<string>
        {
            "Append", "InputShape", "OutputShape", "AppendBlock", "Keep", "Recall", "Merge", "ResizeTo", "SetSlotCount", "SetOutputs",
            "InputShapes", "OutputShapes",
        };

        /// <summary>
        /// Declaration names that cannot be the name of a generated class: <c>var</c> (a class of that name turns every
        /// <c>var x = ...</c> in the namespace into a use of the class).
        /// </summary>
        public static readonly IReadOnlyCollection<string> ReservedClassNames = new HashSet<string> { "var" };

        /// <summary>The file a declaration's class is generated into; generated file names must differ in more than case.</summary>
        public static string FileName(string declaration) => declaration + ".g.cs";

        /// <summary>The property a label becomes: <c>stem</c> → <c>Stem</c>, <c>layer_1</c> → <c>Layer1</c>.</summary>
        public static string PropertyName(string label)
        {
            var result = new StringBuilder(label.Length);
            var upper = true;
            foreach (var c in label)
            {
                if (c == '_')
                {
                    upper = true;
                    continue;
                }
                result.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            return result.Length == 0 || char.IsDigit(result[0]) ? "Part" + result : result.ToString();
        }
    }
}
