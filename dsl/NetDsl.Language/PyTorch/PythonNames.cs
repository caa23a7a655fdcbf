using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetDsl.PyTorch
{
    /// <summary>
    /// Python names for the language's names: a keyword, a builtin the generated code calls, or a name the generated module
    /// imports gets a trailing underscore (<c>lambda</c> → <c>lambda_</c>, <c>range</c> → <c>range_</c>), as PEP 8 advises.
    /// </summary>
    internal static class PythonNames
    {
        /// <summary>Python's keywords and soft keywords.</summary>
        private static readonly HashSet<string> Keywords = new HashSet<string>
        {
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
            "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
            "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type", "_",
        };

        /// <summary>Names the generated code uses itself: builtins it calls, modules and runtime names it imports.</summary>
        public static readonly HashSet<string> Reserved = new HashSet<string>
        {
            "self", "super", "range", "min", "max", "abs", "round", "len", "sum", "math", "nn", "torch", "input_shape",
            "FeatureShape", "Sequence", "Residual", "NoSkip", "Parallel", "ChannelSplit", "DenseBlock", "SqueezeExcite",
            "CompConv2d", "ChannelShuffle", "CReLU", "DropPath", "divisible", "whole", "projection", "dense_input",
            "split_part", "MODELS", "Graph", "GraphBlock", "FeatureSum", "FeatureConcat", "WeightedFusion", "Upsample",
            "resize_to", "Tensor", "List", "NamedTuple", "Optional",
        };

        /// <summary>
        /// The attributes and methods of the runtime's <c>Graph</c> and <c>GraphBlock</c> (and so of <c>nn.Module</c>): a graph
        /// declaration's stored parameters take other names.
        /// </summary>
        public static readonly IReadOnlyList<string> GraphAttributes = new[]
        {
            "T_destination", "act", "add_module", "append", "apply", "avgpool", "bfloat16", "bn", "buffers", "channels", "children",
            "compconv", "conv", "cpu", "crelu", "cuda", "deconv", "double", "dropout", "droppath", "dump_patches", "eval", "extra_repr",
            "flatten", "float", "forward", "get_buffer", "get_extra_state", "get_parameter", "get_submodule", "global_avgpool",
            "global_maxpool", "half", "input_shape", "input_shapes", "ipu", "linear", "load_state_dict", "maxpool", "merge", "modules",
            "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook",
            "register_buffer", "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
            "register_load_state_dict_post_hook", "register_module", "register_parameter", "requires_grad_", "resize", "se",
            "set_extra_state", "shape", "shapes", "share_memory", "shuffle", "state_dict", "to", "to_empty", "train", "training", "type",
            "upsample", "xpu", "zero_grad", "call_super_init",
        };

        /// <summary>A valid Python identifier for <paramref name="name"/> that shadows nothing the generated code uses.</summary>
        public static string Identifier(string name) =>
            Keywords.Contains(name) || Reserved.Contains(name) ? name + "_" : name;

        /// <summary>A module name for a <c>.nn</c> file: <c>mobilenet_v2.nn</c> → <c>mobilenet_v2</c>.</summary>
        public static string Module(string fileName)
        {
            var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
            var builder = new StringBuilder();
            foreach (var c in stem)
                builder.Append(char.IsLetterOrDigit(c) && c < 128 ? char.ToLowerInvariant(c) : '_');
            var module = builder.Length == 0 || char.IsDigit(builder[0]) ? "nn_" + builder : builder.ToString();
            return Keywords.Contains(module) || Reserved.Contains(module) || module == "netdsl_runtime" || module == "__init__"
                ? module + "_" : module;
        }
    }

    /// <summary>Hands out local names in one generated constructor, never one that is in use (a loop variable, a live temporary).</summary>
    internal sealed class LocalNames
    {
        private readonly HashSet<string> taken;

        public LocalNames(IEnumerable<string> userNames) => taken = new HashSet<string>(userNames);

        /// <summary>A free name: <paramref name="wanted"/>, or <c>wanted_2</c>, <c>wanted_3</c>, ...</summary>
        public string Allocate(string wanted)
        {
            var name = wanted;
            for (var i = 2; taken.Contains(name) || PythonNames.Reserved.Contains(name); i++)
                name = wanted + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            taken.Add(name);
            return name;
        }

        /// <summary>Gives a temporary's name back once nothing reads it any more.</summary>
        public void Release(string name) => taken.Remove(name);

        public IEnumerable<string> InUse => taken.ToList();
    }
}
