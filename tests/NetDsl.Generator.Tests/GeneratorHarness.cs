using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NetDsl.Generator;

namespace NetDsl.Generator.Tests;

/// <summary>An in-memory .nn file for the generator.</summary>
internal sealed class NnFile(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Runs the generator over in-memory .nn files against the .NET 10 reference assemblies, TorchSharp and the runtime.</summary>
internal static class GeneratorHarness
{
    public const string Namespace = "Consumer.Models";

    // The .NET 10 reference assemblies (what a net10.0 consumer compiles against, independent of the test host),
    // TorchSharp and the runtime.
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(NetDsl.Runtime.Composition.SequentialModule).Assembly.Location),
    ];

    public static CSharpCompilation Compilation(params string[] csharp) =>
        CSharpCompilation.Create("Consumer",
            csharp.Select(code => CSharpSyntaxTree.ParseText(code, path: "User.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does by default: assembly-version unification notes are not warnings.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver Driver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create(
            [new NetDslGenerator().AsSourceGenerator()],
            files,
            parseOptions: CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            optionsProvider: new Options(Namespace),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(
        GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (driver, output, diagnostics);
    }

    public static IReadOnlyList<NnFile> Zoo() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.nn")
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => new NnFile(path, File.ReadAllText(path)))
            .ToList();

    private sealed class Options(string namespaceName) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(namespaceName);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Values(string namespaceName) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.NetDslNamespace" ? namespaceName : "";
                return key == "build_property.NetDslNamespace";
            }
        }
    }
}

/// <summary>
/// Generated modules as objects: a .nn source is generated, compiled in memory and loaded into a collectible
/// context (its references, TorchSharp and the runtime, resolve to the test's own), so a test can call the
/// generated constructors with arguments the checker never saw.
/// </summary>
internal sealed class GeneratedAssembly : IDisposable
{
    private readonly System.Runtime.Loader.AssemblyLoadContext context = new(nameof(GeneratedAssembly), isCollectible: true);
    private readonly System.Reflection.Assembly assembly;

    public GeneratedAssembly(string nn)
    {
        var (_, output, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Driver(new NnFile("/p/Test.nn", nn)), GeneratorHarness.Compilation());
        diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ShouldBeEmpty();
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ShouldBeEmpty();
        image.Position = 0;
        assembly = context.LoadFromStream(image);
    }

    /// <summary>Calls the public constructor of the generated class <paramref name="className"/> with named arguments
    /// (the rest take their defaults), unwrapping the exception a constructor throws.</summary>
    public TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> Create(string className, params (string Name, object Value)[] arguments)
    {
        var type = assembly.GetType($"{GeneratorHarness.Namespace}.{className}", throwOnError: true)!;
        var constructor = type.GetConstructors().Single();
        var values = constructor.GetParameters()
            .Select(parameter => arguments.Any(a => a.Name == parameter.Name)
                ? arguments.Single(a => a.Name == parameter.Name).Value
                : parameter.DefaultValue)
            .ToArray();
        try
        {
            return (TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)constructor.Invoke(values);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public void Dispose() => context.Unload();
}
