using Microsoft.CodeAnalysis.Diagnostics;

namespace NetDsl.Generator
{
    /// <summary>The MSBuild properties the generator reads (made visible by build/NetDsl.props).</summary>
    public sealed record GeneratorOptions(string Namespace)
    {
        /// <summary>Used when a project sets neither NetDslNamespace nor RootNamespace.</summary>
        public const string FallbackNamespace = "NetDsl.Models";

        public static GeneratorOptions From(AnalyzerConfigOptions options)
        {
            if (options.TryGetValue("build_property.NetDslNamespace", out var netDslNamespace) && !string.IsNullOrWhiteSpace(netDslNamespace))
                return new GeneratorOptions(netDslNamespace.Trim());
            if (options.TryGetValue("build_property.RootNamespace", out var rootNamespace) && !string.IsNullOrWhiteSpace(rootNamespace))
                return new GeneratorOptions(rootNamespace.Trim());
            return new GeneratorOptions(FallbackNamespace);
        }
    }
}
