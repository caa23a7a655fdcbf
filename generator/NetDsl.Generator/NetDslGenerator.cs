using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetDsl.Emit;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Generator
{
    /// <summary>
    /// Turns every <c>.nn</c> AdditionalFile into TorchSharp modules. Each file is read and parsed on its
    /// own (cached per file); all files are then checked together, because a block may be used by any
    /// file of the project; the plan holds one equatable model per generated class, so a class whose model
    /// did not change is not re-emitted.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetDslGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) => GeneratorOptions.From(provider.GlobalOptions))
                .WithTrackingName(TrackingNames.Options);

            var parsed = context.AdditionalTextsProvider
                .Where(static file => file.Path.EndsWith(".nn", StringComparison.OrdinalIgnoreCase))
                .Select(static (file, cancellationToken) =>
                    new SourceText(file.Path, file.GetText(cancellationToken)?.ToString() ?? string.Empty))
                .WithTrackingName(TrackingNames.Read)
                .Select(static (source, _) => Parser.Parse(source))
                .WithTrackingName(TrackingNames.Parse);

            var syntaxDiagnostics = parsed
                .SelectMany(static (result, _) => result.Diagnostics.Select(DiagnosticInfo.From))
                .WithTrackingName(TrackingNames.SyntaxDiagnostics);

            var plan = parsed
                .Select(static (result, _) => result.Tree)
                .Collect()
                .Combine(options)
                .Select(static (input, _) => EmitPlanner.Plan(input.Left, input.Right.Namespace))
                .WithTrackingName(TrackingNames.Plan);

            var units = plan
                .SelectMany(static (plan, _) => plan.Units)
                .WithTrackingName(TrackingNames.Units);

            var registry = plan
                .Select(static (plan, _) => plan.Registry)
                .WithTrackingName(TrackingNames.Registry);

            var semanticDiagnostics = plan
                .SelectMany(static (plan, _) => plan.Diagnostics.Select(DiagnosticInfo.From))
                .WithTrackingName(TrackingNames.SemanticDiagnostics);

            context.RegisterSourceOutput(syntaxDiagnostics, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToRoslyn()));
            context.RegisterSourceOutput(semanticDiagnostics, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToRoslyn()));
            context.RegisterSourceOutput(units, static (output, unit) =>
            {
                output.AddSource(unit.HintName, CSharpEmitter.Emit(unit));
                if (CSharpEmitter.EmitFigures(unit) is { } figures)
                    output.AddSource(CSharpEmitter.FiguresHintName(unit), figures);
            });
            context.RegisterSourceOutput(registry, static (output, registry) =>
            {
                if (registry != null)
                    output.AddSource(EmitPlanner.RegistryClassName + ".g.cs", FiguresEmitter.EmitRegistry(registry));
            });
        }
    }
}
