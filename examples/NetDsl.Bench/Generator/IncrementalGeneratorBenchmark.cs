using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetDsl.Bench.Harness;
using NetDsl.Generator;

namespace NetDsl.Bench.Generator;

/// <summary>How many outputs of the generator's tracked steps ran again and how many Roslyn reused.</summary>
/// <param name="Rerun">Outputs whose reason is New or Modified: the step's work was done again.</param>
/// <param name="Reused">Outputs whose reason is Cached or Unchanged.</param>
/// <param name="Removed">Outputs that went away.</param>
/// <param name="RerunSteps">The steps with at least one rerun output, with their counts ("Parse 1/11").</param>
public sealed record StepCounts(int Rerun, int Reused, int Removed, IReadOnlyList<string> RerunSteps)
{
    public int Total => Rerun + Reused + Removed;
}

/// <summary>A cold run (a new driver: nothing cached) against an incremental one after editing one file.</summary>
/// <param name="GeneratedFiles">Sources the generator adds for the zoo.</param>
/// <param name="ReemittedFiles">Sources re-emitted after the edit (New or Modified outputs of the Units step).</param>
public sealed record IncrementalResult(string EditedFile, string Edit, int GeneratedFiles, int ReemittedFiles,
    Summary ColdMs, Summary IncrementalMs, StepCounts ColdSteps, StepCounts IncrementalSteps);

/// <summary>
/// Runs the real <see cref="NetDslGenerator"/> under <see cref="CSharpGeneratorDriver"/> with step tracking on, as
/// the generator tests do. The compilation is empty: the generator reads only the <c>.nn</c> AdditionalFiles and the
/// namespace property, so C# sources would only add the compiler's own work to the figure.
/// </summary>
public sealed class IncrementalGeneratorBenchmark
{
    private readonly IReadOnlyList<InMemoryAdditionalText> zoo;
    private readonly CSharpCompilation compilation = CSharpCompilation.Create("NetDsl.Bench.GeneratorInput");
    private readonly GlobalOptionsProvider options = new(new Dictionary<string, string>
    {
        ["build_property.NetDslNamespace"] = "NetDsl.Bench.Generated",
    });

    public IncrementalGeneratorBenchmark(IEnumerable<NetDsl.Syntax.SourceText> sources) =>
        zoo = sources.Select(s => new InMemoryAdditionalText(s.Path, s.Text)).ToArray();

    /// <summary>
    /// Edits <paramref name="fileName"/> by replacing <paramref name="before"/> with <paramref name="after"/> and
    /// back, alternately, so every incremental run sees a real change against the previous one.
    /// </summary>
    public IncrementalResult Measure(string fileName, string before, string after, int runs)
    {
        var original = zoo.Single(file => Path.GetFileName(file.Path) == fileName);
        var originalText = original.GetText().ToString();
        if (!originalText.Contains(before, StringComparison.Ordinal))
            throw new InvalidOperationException($"{fileName} no longer contains '{before}'; update the benchmark's edit");
        var edited = new InMemoryAdditionalText(original.Path, originalText.Replace(before, after, StringComparison.Ordinal));

        RunCold(); // JIT and Roslyn's first-use costs stay out of both figures
        var coldTimes = new List<double>();
        StepCounts? coldSteps = null;
        var generatedFiles = 0;
        for (var i = 0; i < runs; i++)
        {
            var (ms, driver) = Timed(() => RunCold());
            coldTimes.Add(ms);
            var result = driver.GetRunResult().Results.Single();
            ThrowOnGeneratorErrors(result);
            coldSteps = Count(result);
            generatedFiles = result.GeneratedSources.Length;
        }

        var current = RunCold();
        AdditionalText shown = original;
        var incrementalTimes = new List<double>();
        StepCounts? incrementalSteps = null;
        var reemitted = 0;
        for (var i = 0; i < runs; i++)
        {
            AdditionalText next = ReferenceEquals(shown, original) ? edited : original;
            current = current.ReplaceAdditionalText(shown, next);
            shown = next;
            var (ms, driver) = Timed(() => current.RunGenerators(compilation));
            current = driver;
            incrementalTimes.Add(ms);
            var result = driver.GetRunResult().Results.Single();
            ThrowOnGeneratorErrors(result);
            incrementalSteps = Count(result);
            reemitted = CountRerunOutputs(result, TrackingNames.Units);
        }
        return new IncrementalResult(fileName, $"'{before}' -> '{after}'", generatedFiles, reemitted,
            Summary.Of(coldTimes), Summary.Of(incrementalTimes), coldSteps!, incrementalSteps!);
    }

    private GeneratorDriver RunCold() =>
        CSharpGeneratorDriver.Create(
                new[] { new NetDslGenerator().AsSourceGenerator() },
                zoo,
                parseOptions: null,
                optionsProvider: options,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true))
            .RunGenerators(compilation);

    private static (double Ms, GeneratorDriver Driver) Timed(Func<GeneratorDriver> run)
    {
        var start = Stopwatch.GetTimestamp();
        var driver = run();
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, driver);
    }

    private static void ThrowOnGeneratorErrors(GeneratorRunResult result)
    {
        if (result.Exception is not null)
            throw new InvalidOperationException("the generator threw", result.Exception);
        var error = result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        if (error is not null)
            throw new InvalidOperationException($"the generator reported an error on the zoo: {error}");
    }

    /// <summary>Classifies every output of every tracked pipeline step (the ones named in <see cref="TrackingNames"/>).</summary>
    private static StepCounts Count(GeneratorRunResult result)
    {
        int rerun = 0, reused = 0, removed = 0;
        var rerunSteps = new List<string>();
        foreach (var (name, steps) in result.TrackedSteps.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var outputs = steps.SelectMany(step => step.Outputs).ToArray();
            var stepRerun = outputs.Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
            rerun += stepRerun;
            removed += outputs.Count(o => o.Reason == IncrementalStepRunReason.Removed);
            reused += outputs.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
            if (stepRerun > 0)
                rerunSteps.Add($"{name} {stepRerun}/{outputs.Length}");
        }
        return new StepCounts(rerun, reused, removed, rerunSteps);
    }

    /// <summary>New or Modified outputs of one step. For <see cref="TrackingNames.Units"/> these are the files
    /// re-emitted: Roslyn calls the source output only for them.</summary>
    private static int CountRerunOutputs(GeneratorRunResult result, string stepName) =>
        result.TrackedSteps.TryGetValue(stepName, out var steps)
            ? steps.SelectMany(step => step.Outputs)
                .Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified)
            : throw new InvalidOperationException($"the generator no longer tracks a step named {stepName}");
}
