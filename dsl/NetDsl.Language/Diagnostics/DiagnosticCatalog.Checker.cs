namespace NetDsl.Diagnostics
{
    /// <summary>
    /// The checker's diagnostics (docs/diagnostics.md, "Checker"): NN01xx names, types and arguments,
    /// NN02xx channels and shapes, NN03xx limits. Messages name the values involved.
    /// </summary>
    public static partial class DiagnosticCatalog
    {
        private static DiagnosticDescriptor Error(string code, string title, string format) =>
            new DiagnosticDescriptor(code, DiagnosticSeverity.Error, title, format);

        private static DiagnosticDescriptor Warning(string code, string title, string format) =>
            new DiagnosticDescriptor(code, DiagnosticSeverity.Warning, title, format);

        // NN01xx: names, types and arguments

        public static readonly DiagnosticDescriptor UnknownLayer =
            Error("NN0100", "Unknown layer or block", "unknown layer '{0}'{1}");

        public static readonly DiagnosticDescriptor UnknownName =
            Error("NN0101", "Unknown name", "unknown name '{0}'{1}");

        public static readonly DiagnosticDescriptor UnknownFunction =
            Error("NN0102", "Unknown function", "unknown function '{0}'{1}");

        public static readonly DiagnosticDescriptor UnknownArgument =
            Error("NN0103", "Unknown argument", "{0} has no argument '{1}'{2}");

        public static readonly DiagnosticDescriptor DuplicateArgument =
            Error("NN0104", "Argument given twice", "argument '{0}' of {1} is given twice");

        public static readonly DiagnosticDescriptor MissingArgument =
            Error("NN0105", "Missing argument", "{0} needs the argument '{1}'");

        public static readonly DiagnosticDescriptor TooManyArguments =
            Error("NN0106", "Too many arguments", "{0} takes {1} argument(s), but {2} were given");

        public static readonly DiagnosticDescriptor PositionalAfterNamed =
            Error("NN0107", "Positional argument after a named one", "positional argument after a named one; name it, e.g. '{0}: ...'");

        public static readonly DiagnosticDescriptor DuplicateDeclaration =
            Error("NN0108", "Duplicate declaration", "'{0}' is already declared at {1}");

        public static readonly DiagnosticDescriptor DuplicateLabel =
            Error("NN0109", "Duplicate label", "label '{0}' is used twice in the same body (first at {1})");

        public static readonly DiagnosticDescriptor DuplicateParameter =
            Error("NN0110", "Duplicate parameter", "parameter '{0}' is declared twice");

        public static readonly DiagnosticDescriptor BuiltinNameClash =
            Error("NN0111", "Name of a built-in", "'{0}' is the name of a built-in {1}; choose another name");

        public static readonly DiagnosticDescriptor RecursiveBlock =
            Error("NN0112", "Recursive block", "block '{0}' uses itself: {1}");

        public static readonly DiagnosticDescriptor VariantTargetNotNetwork =
            Error("NN0113", "Variant target is not a network", "variant '{0}' is based on '{1}', which is {2}, not a network{3}");

        public static readonly DiagnosticDescriptor MissingInput =
            Error("NN0116", "Missing input", "network '{0}' has no 'input CxHxW' statement");

        public static readonly DiagnosticDescriptor DuplicateInput =
            Error("NN0117", "Duplicate input", "network '{0}' has a second 'input' statement (the first is at {1})");

        public static readonly DiagnosticDescriptor MisplacedInput =
            Error("NN0118", "Misplaced input", "{0}");

        public static readonly DiagnosticDescriptor TypeMismatch =
            Error("NN0119", "Wrong type", "{0} must be {1}, but {2} is {3}");

        public static readonly DiagnosticDescriptor NotWholeNumber =
            Error("NN0120", "Not a whole number", "{0} must be an int, but {1} is not a whole number; use div, round(), floor() or ceil()");

        public static readonly DiagnosticDescriptor WrongArgumentCount =
            Error("NN0121", "Wrong number of arguments", "{0} takes {1} argument(s), but {2} were given");

        public static readonly DiagnosticDescriptor DuplicateName =
            Error("NN0122", "Name defined twice", "'{0}' is already defined at {1}");

        public static readonly DiagnosticDescriptor RecursiveFunction =
            Error("NN0123", "Recursive function", "function '{0}' calls itself; functions may only call functions defined before them");

        public static readonly DiagnosticDescriptor NotALayer =
            Error("NN0124", "Not a layer", "'{0}' is {1}, not a layer");

        public static readonly DiagnosticDescriptor ArgumentsOnActivationValue =
            Error("NN0125", "Arguments on an activation value", "'{0}' holds an activation, which takes no arguments");

        public static readonly DiagnosticDescriptor PatternArity =
            Error("NN0126", "Loop pattern does not match", "the loop names {0} value(s), but the item {1} has {2}");

        public static readonly DiagnosticDescriptor NotIterable =
            Error("NN0127", "Cannot loop over this value", "a for loop needs a list or a range a..b, but {0} is {1}");

        public static readonly DiagnosticDescriptor PathOutsideParallel =
            Error("NN0128", "path outside parallel or split", "'path' is only allowed inside 'parallel' or 'split'");

        public static readonly DiagnosticDescriptor NonPathInParallel =
            Error("NN0129", "Statement directly inside parallel or split", "only 'path {{ ... }}' items (and let, for, repeat, if around them) may appear directly inside '{0}'; wrap this in a path");

        public static readonly DiagnosticDescriptor NoPaths =
            Error("NN0130", "No paths", "'{0}' has no paths");

        public static readonly DiagnosticDescriptor NotIndexable =
            Error("NN0131", "Cannot index this value", "only lists and tuples can be indexed, but {0} is {1}");

        public static readonly DiagnosticDescriptor ActivationNotValue =
            Error("NN0133", "Function used as a value", "'{0}' is a function; call it with arguments, e.g. {0}(...)");

        public static readonly DiagnosticDescriptor LabelInLoop =
            Error("NN0134", "Label inside a loop",
                "label '{0}' is inside '{1}': a label names one module, but the loop makes one per pass; " +
                "drop the label, or label a group around the loop (e.g. '{0}: {{ {1} ... }}')");

        public static readonly DiagnosticDescriptor GeneratedNameClash =
            Error("NN0135", "Names clash in generated C#", "{0}; choose another name");

        public static readonly DiagnosticDescriptor ReservedName =
            Error("NN0136", "Name reserved by generated C#", "'{0}' {1}; choose another name");

        public static readonly DiagnosticDescriptor DefaultNotConstant =
            Error("NN0137", "Default is not a constant",
                "{0} must be a constant such as 0.5, -1, 1.0 / 2, max(1, 2) or true, because it becomes a C# default value; {1}");

        public static readonly DiagnosticDescriptor UnusedParameter =
            Warning("NN0190", "Unused parameter", "parameter '{0}' of {1} is never used");

        public static readonly DiagnosticDescriptor UnusedLet =
            Warning("NN0191", "Unused let", "'{0}' is defined but never used");

        public static readonly DiagnosticDescriptor GlobalPoolingIgnoresArgument =
            Warning("NN0192", "Argument ignored by global pooling",
                "{0} without 'k' is global pooling, which ignores '{1}'; give 'k' for a pooling window (e.g. '{0}(k: 2, s: 2)'), or drop '{1}'");

        // NN02xx: channels and shapes

        public static readonly DiagnosticDescriptor ChannelsNotWhole =
            Error("NN0200", "Channel count not whole", "channel count {0} is not a whole number; use div, round(), floor() or divisible()");

        public static readonly DiagnosticDescriptor NotPositive =
            Error("NN0201", "Not positive", "{0} {1} must be positive");

        public static readonly DiagnosticDescriptor GroupsDoNotDivide =
            Error("NN0202", "Groups do not divide the channels", "groups {0} does not divide the {1} {2} channels of {3}");

        public static readonly DiagnosticDescriptor SpatialTooSmall =
            Error("NN0203", "Spatial size reaches zero", "{0} on {1} gives {2}; the features are too small for this layer");

        public static readonly DiagnosticDescriptor ConcatSpatialMismatch =
            Error("NN0204", "Concat of different spatial sizes", "{0} with spatial sizes {1} and {2}{3}");

        public static readonly DiagnosticDescriptor AddShapeMismatch =
            Error("NN0205", "Add of different shapes", "add of paths with shapes {0} and {1}: path {2} differs from path 1");

        public static readonly DiagnosticDescriptor ResidualShapeMismatch =
            Error("NN0206", "Residual changes the shape", "residual body changes the shape from {0} to {1}; keep the shape, or use residual(project: true)");

        public static readonly DiagnosticDescriptor SplitNotEven =
            Error("NN0207", "Split not even", "split of {0} channels into {1} paths is not even; {0} / {1} = {2}");

        public static readonly DiagnosticDescriptor EmptyDense =
            Error("NN0208", "Dense with no body", "dense needs a body that adds channels, e.g. dense 4 {{ bn relu conv(32, k: 3) }}");

        public static readonly DiagnosticDescriptor WrongRank =
            Error("NN0209", "Layer on the wrong rank", "{0}");

        public static readonly DiagnosticDescriptor DivisibleByNonPositive =
            Error("NN0210", "divisible() by a non-positive number", "divisible(x, d) needs d > 0, but d is {0}");

        public static readonly DiagnosticDescriptor DivisionByZero =
            Error("NN0211", "Division by zero", "division by zero: {0}");

        public static readonly DiagnosticDescriptor IndexOutOfRange =
            Error("NN0212", "Index out of range", "index {0} is out of range for {1} with {2} item(s)");

        public static readonly DiagnosticDescriptor DepthwiseOutNotMultiple =
            Error("NN0213", "dwconv output not a multiple of its input", "dwconv out {0} is not a multiple of its {1} input channels");

        public static readonly DiagnosticDescriptor CompConvDepth =
            Error("NN0214", "CompConv depth out of range", "compconv depth d must be 0..3, but it is {0}");

        public static readonly DiagnosticDescriptor NegativeValue =
            Error("NN0215", "Negative value", "{0} {1} must not be negative");

        public static readonly DiagnosticDescriptor ProjectionStride =
            Error("NN0216", "Projection stride not whole", "residual(project: true) cannot project {0} to {1}: the spatial ratio is not a whole stride");

        public static readonly DiagnosticDescriptor NegativeExponent =
            Error("NN0217", "Negative exponent", "int ^ int needs a non-negative exponent, but it is {0}; write a float, e.g. 2.0 ^ {0}");

        public static readonly DiagnosticDescriptor ProbabilityRange =
            Error("NN0218", "Probability out of range", "{0} p must be between 0 and 1, but it is {1}");

        public static readonly DiagnosticDescriptor PoolPaddingTooLarge =
            Error("NN0219", "Pooling padding too large", "{0} padding {1} must be at most half the kernel size {2}");

        public static readonly DiagnosticDescriptor EmptyList =
            Error("NN0220", "Empty list", "{0} of an empty list");

        public static readonly DiagnosticDescriptor ShuffleGroups =
            Error("NN0221", "Shuffle groups do not divide the channels", "shuffle groups {0} does not divide the {1} channels");

        // NN04xx: named feature maps and graphs

        public static readonly DiagnosticDescriptor UnknownFeature =
            Error("NN0400", "Unknown feature map", "no feature map named '{0}' is defined before this point{1}");

        public static readonly DiagnosticDescriptor FeatureStatementPlacement =
            Error("NN0401", "Feature map statement in a nested body",
                "{0} works only in the body of a network or block (and in the if, for and repeat there), not inside {1}, which is a module of its own; name and read feature maps around it");

        public static readonly DiagnosticDescriptor MergeShapeMismatch =
            Error("NN0402", "Merged feature maps do not fit", "{0}: '{1}' is {2} but '{3}' is {4}; {5}");

        /// <summary>NN0402's advice for <c>add</c> and <c>fuse</c> (<c>{0}</c>: which); the runtime's Require has a copy, a test keeps them equal.</summary>
        public const string MergeEqualShapesHint =
            "{0} needs equal shapes; bring them to one size with resize(to: ...) or upsample, and to one channel count with a 1x1 conv";

        /// <summary>NN0402's advice for <c>concat</c>.</summary>
        public const string MergeEqualSpatialSizesHint = "concat needs equal spatial sizes; bring one to the other's size with resize(to: ...) or upsample";

        public static readonly DiagnosticDescriptor FeatureCountMismatch =
            Error("NN0403", "Wrong number of names", "'-> {0}' names {1} feature map(s), but there are {2} current ones{3}");

        public static readonly DiagnosticDescriptor NeedsOneFeature =
            Error("NN0404", "Several current feature maps", "{0} works on one feature map, but there are {1} current ones (since {2}); choose one with 'from'");

        public static readonly DiagnosticDescriptor BlockFeatureCount =
            Error("NN0405", "Wrong number of feature maps for a block", "{0} takes {1} feature map(s) (its 'inputs'), but there are {2} current ones");

        public static readonly DiagnosticDescriptor SharedChannels =
            Error("NN0406", "Shared layer on different channel counts",
                "{0} applied to {1} feature maps is one module with shared weights, so they need equal channel counts, but the first has {2} and feature map {3} has {4}");

        public static readonly DiagnosticDescriptor SharedSpatial =
            Error("NN0407", "Shared layer changes the spatial size",
                "{0} applied to several feature maps must keep each one's spatial size, but it turns {1} into {2}; apply it to one feature map at a time");

        public static readonly DiagnosticDescriptor InputsPlacement =
            Error("NN0408", "Misplaced inputs", "{0}");

        public static readonly DiagnosticDescriptor OutputsPlacement =
            Error("NN0409", "Misplaced outputs", "{0}");

        public static readonly DiagnosticDescriptor DuplicateFeatureName =
            Error("NN0410", "Name given twice", "'{0}' appears twice in {1}");

        public static readonly DiagnosticDescriptor FeatureCountDiffers =
            Error("NN0411", "Number of current feature maps differs", "{0}");

        public static readonly DiagnosticDescriptor FeatureNotSet =
            Error("NN0412", "Feature map not set", "feature map '{0}' has no value here: the statement that names it did not run for these arguments ({1})");

        public static readonly DiagnosticDescriptor OutputNameClash =
            Error("NN0413", "Output names clash in C#", "output '{0}' becomes the property {1} of the generated {2}.Outputs record, {3}; rename the feature map");

        public static readonly DiagnosticDescriptor ResizeTarget =
            Error("NN0414", "resize needs a feature map", "resize needs 'to:' and the name of a feature map whose size to take, e.g. resize(to: p4){0}");

        public static readonly DiagnosticDescriptor MergeTooFewInputs =
            Error("NN0415", "Merge of one feature map", "{0} needs at least two feature maps, e.g. {0}(p4, up)");

        public static readonly DiagnosticDescriptor UnnamedOutputs =
            Error("NN0416", "Several feature maps at the end", "{0} ends with {1} current feature maps; name the ones it gives with 'outputs', e.g. outputs p3, p4");

        public static readonly DiagnosticDescriptor UnusedFeature =
            Warning("NN0490", "Unused feature map", "feature map '{0}' is named but never used");

        // NN03xx: limits, checked before the work is done

        public static readonly DiagnosticDescriptor LoopTooLong =
            Error("NN0300", "Loop count too large", "{0} count {1} is above the limit of 10,000");

        public static readonly DiagnosticDescriptor TooManyLayers =
            Error("NN0301", "Too many layers", "network '{0}' has more than 100,000 layers after unrolling loops");

        public static readonly DiagnosticDescriptor CallTooDeep =
            Error("NN0302", "Calls nested too deeply", "calls are nested more than 64 deep at '{0}'");

        public static readonly DiagnosticDescriptor ValueTooLarge =
            Error("NN0303", "Value out of range", "value {0} is beyond the limit of +/-2^31");

        public static readonly DiagnosticDescriptor TooManyChannels =
            Error("NN0304", "Too many channels", "{0} channels is above the limit of 1,000,000");

        public static readonly DiagnosticDescriptor SpatialTooLarge =
            Error("NN0305", "Spatial size too large", "spatial size {0} is above the limit of 65,536");

        public static readonly DiagnosticDescriptor TooMuchWork =
            Error("NN0306", "Evaluation too long", "evaluating network '{0}' takes more than 300,000 steps; reduce the loop counts");

        public static readonly DiagnosticDescriptor InternalError =
            Error("NN0399", "Internal checker error", "internal error while checking '{0}': {1}; please report this with the file");
    }
}
