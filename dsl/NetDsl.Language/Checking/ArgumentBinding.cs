using System.Collections.Generic;
using System.Linq;
using NetDsl.Diagnostics;
using NetDsl.Syntax;

namespace NetDsl.Checking
{
    /// <summary>The arguments of one call matched to the callee's parameters, in parameter order (null: not given).</summary>
    internal sealed class BoundArguments
    {
        public BoundArguments(IReadOnlyList<string> parameterNames, Argument?[] byParameter)
        {
            ParameterNames = parameterNames;
            ByParameter = byParameter;
        }

        public IReadOnlyList<string> ParameterNames { get; }

        public Argument?[] ByParameter { get; }

        public Argument? this[string name]
        {
            get
            {
                for (int i = 0; i < ParameterNames.Count; i++)
                {
                    if (ParameterNames[i] == name)
                        return ByParameter[i];
                }
                return null;
            }
        }
    }

    /// <summary>Matches positional and named arguments to parameters and reports unknown, duplicate, missing and extra ones.</summary>
    internal static class ArgumentMatcher
    {
        /// <param name="callee">How messages name the callee: <c>conv</c>, <c>block 'InvertedResidual'</c>.</param>
        /// <param name="required">Which parameters have no default.</param>
        /// <param name="nameSpan">Where a missing argument is reported: the callee's name.</param>
        public static BoundArguments Match(
            IReadOnlyList<string> parameters,
            IReadOnlyList<bool> required,
            EquatableArray<Argument> arguments,
            string callee,
            TextSpan nameSpan,
            SourceText source,
            DiagnosticBag diagnostics,
            DiagnosticDescriptor? tooMany = null)
        {
            var byParameter = new Argument?[parameters.Count];
            int position = 0;
            bool sawNamed = false;
            int positionalCount = arguments.Count(a => a.Name is null);
            foreach (var argument in arguments)
            {
                if (argument.Name is null)
                {
                    if (sawNamed)
                    {
                        string next = position < parameters.Count ? parameters[position] : "name";
                        diagnostics.Report(DiagnosticCatalog.PositionalAfterNamed, source, argument.Span, next);
                        continue;
                    }
                    if (position >= parameters.Count)
                    {
                        diagnostics.Report(tooMany ?? DiagnosticCatalog.TooManyArguments, source, argument.Span, callee, parameters.Count, positionalCount);
                        position++;
                        continue;
                    }
                    byParameter[position++] = argument;
                    continue;
                }

                sawNamed = true;
                int index = IndexOf(parameters, argument.Name.Text);
                if (index < 0)
                {
                    diagnostics.Report(DiagnosticCatalog.UnknownArgument, source, argument.Name.Span, callee, argument.Name.Text,
                        Suggestions.DidYouMean(argument.Name.Text, parameters));
                }
                else if (byParameter[index] is not null)
                {
                    diagnostics.Report(DiagnosticCatalog.DuplicateArgument, source, argument.Span, argument.Name.Text, callee);
                }
                else
                {
                    byParameter[index] = argument;
                }
            }

            for (int i = 0; i < parameters.Count; i++)
            {
                if (required[i] && byParameter[i] is null)
                    diagnostics.Report(DiagnosticCatalog.MissingArgument, source, nameSpan, callee, parameters[i]);
            }
            return new BoundArguments(parameters, byParameter);
        }

        private static int IndexOf(IReadOnlyList<string> names, string name)
        {
            for (int i = 0; i < names.Count; i++)
            {
                if (names[i] == name)
                    return i;
            }
            return -1;
        }
    }

    /// <summary>What the binder learnt that only the evaluator needs (the public part is the SemanticModel).</summary>
    internal sealed class BindingTable
    {
        public Dictionary<object, BoundArguments> Arguments { get; } = new Dictionary<object, BoundArguments>(Model.ReferenceComparer<object>.Instance);

        public Dictionary<Model.Symbol, FunctionStatement> Functions { get; } = new Dictionary<Model.Symbol, FunctionStatement>();

        /// <summary>Blocks on a use cycle: never evaluated (the cycle is reported once).</summary>
        public HashSet<BlockDeclaration> RecursiveBlocks { get; } = new HashSet<BlockDeclaration>(Model.ReferenceComparer<BlockDeclaration>.Instance);

        /// <summary>Feature map names read before any definition (reported by FeatureFlow, so the evaluation stays quiet about them).</summary>
        public HashSet<Identifier> UnknownFeatures { get; } = new HashSet<Identifier>(Model.ReferenceComparer<Identifier>.Instance);

        public BoundArguments? ArgumentsOf(object call) => Arguments.TryGetValue(call, out var bound) ? bound : null;
    }
}
