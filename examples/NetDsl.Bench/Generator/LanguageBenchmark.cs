using System.Diagnostics;
using NetDsl.Bench.Harness;
using NetDsl.Checking;
using NetDsl.Emit;
using NetDsl.Parsing;
using NetDsl.Syntax;

namespace NetDsl.Bench.Generator;

/// <summary>The language library's cost per zoo, phase by phase (median milliseconds per run of the whole zoo).</summary>
/// <param name="FirstRunMs">The very first parse + check + emit of the process: includes JIT, as a cold build does.</param>
public sealed record LanguagePhases(int Files, int GeneratedFiles, long GeneratedChars, double FirstRunMs,
    Summary Parse, Summary Check, Summary Emit, Summary Total);

/// <summary>Parse + check throughput over the zoo repeated many times.</summary>
public sealed record LanguageThroughput(int Files, double Seconds)
{
    public double FilesPerSecond => Files / Seconds;
}

/// <summary>
/// Drives the language library directly, without Roslyn: <see cref="Parser"/> per file, <see cref="Checker"/> over
/// all files together (blocks are shared across files), then <see cref="EmitPlanner"/> and <see cref="CSharpEmitter"/>.
/// </summary>
public sealed class LanguageBenchmark(IReadOnlyList<SourceText> zoo)
{
    private const string Namespace = "NetDsl.Bench.Generated";

    public LanguagePhases MeasurePhases(int runs)
    {
        var first = Stopwatch.StartNew();
        var (generatedFiles, generatedChars) = RunOnce(out _, out _, out _);
        var firstRunMs = first.Elapsed.TotalMilliseconds;

        var parse = new List<double>();
        var check = new List<double>();
        var emit = new List<double>();
        var total = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            RunOnce(out var parseMs, out var checkMs, out var emitMs);
            parse.Add(parseMs);
            check.Add(checkMs);
            emit.Add(emitMs);
            total.Add(parseMs + checkMs + emitMs);
        }
        return new LanguagePhases(zoo.Count, generatedFiles, generatedChars, firstRunMs,
            Summary.Of(parse), Summary.Of(check), Summary.Of(emit), Summary.Of(total));
    }

    /// <summary>Parse + check of the zoo, <paramref name="repeats"/> times (after one untimed pass).</summary>
    public LanguageThroughput MeasureThroughput(int repeats)
    {
        ParseAndCheck();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < repeats; i++)
            ParseAndCheck();
        return new LanguageThroughput(zoo.Count * repeats, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private CheckResult ParseAndCheck()
    {
        var trees = zoo.Select(source => Parser.Parse(source).Tree).ToArray();
        return Checker.Check(trees);
    }

    private (int Files, long Chars) RunOnce(out double parseMs, out double checkMs, out double emitMs)
    {
        var start = Stopwatch.GetTimestamp();
        var parsed = zoo.Select(Parser.Parse).ToArray();
        parseMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        start = Stopwatch.GetTimestamp();
        var trees = parsed.Select(result => result.Tree).ToArray();
        var checkedZoo = Checker.Check(trees);
        checkMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (parsed.Any(result => result.HasErrors) || checkedZoo.HasErrors)
            throw new InvalidOperationException("the zoo has errors: " +
                string.Join("; ", parsed.SelectMany(r => r.Diagnostics).Concat(checkedZoo.Diagnostics).Where(d => d.IsError).Take(3)));

        start = Stopwatch.GetTimestamp();
        var figures = checkedZoo.Networks.ToDictionary(report => report.Name,
            report => new CostFigures(report.Parameters, report.Macs, report.Input.ToString(), report.Output?.ToString() ?? "?"));
        var plan = EmitPlanner.Plan(trees, Namespace, checkedZoo, name => figures.GetValueOrDefault(name));
        long chars = 0;
        foreach (var unit in plan.Units)
            chars += CSharpEmitter.Emit(unit).Length;
        emitMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return (plan.Units.Count, chars);
    }
}
