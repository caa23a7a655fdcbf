using System.Diagnostics;

namespace NetDsl.Language.Tests.Checking;

/// <summary>
/// Limits are checked before the work is done, so hostile input is rejected quickly. Times are the fastest of three
/// runs after a warm-up, so JIT compilation and other builds on the machine do not make the tests flaky.
/// </summary>
public class LimitTests
{
    private static (NetDsl.Checking.CheckResult Result, TimeSpan Fastest) Timed(string text)
    {
        var result = Check.Text(text);
        var fastest = TimeSpan.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            Check.Text(text);
            watch.Stop();
            fastest = watch.Elapsed < fastest ? watch.Elapsed : fastest;
        }
        return (result, fastest);
    }

    [Theory]
    [InlineData("repeat 1000000 { repeat 1000000 { conv(8) } }", "NN0300")]
    [InlineData("repeat 10000 { repeat 10000 { repeat 10000 { relu } } }", "NN0301")]
    [InlineData("repeat 10000 { repeat 10000 { repeat 10000 { let x = 1 } } } conv(x_used)", "NN0306")]
    [InlineData("for i in 0..2000000000 { conv(8) }", "NN0300")]
    public void Huge_loops_are_rejected_in_well_under_a_second(string statements, string code)
    {
        string text = $"network N {{\n    input 3x8x8\n    let x_used = 8\n    {statements}\n}}";
        var (result, elapsed) = Timed(text);

        result.Diagnostics.ShouldContain(d => d.Code == code);
        elapsed.TotalSeconds.ShouldBeLessThan(1.0, $"took {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Deeply_nested_repeats_are_rejected_quickly()
    {
        // 30 nested repeats of 2 would make 2^30 layers: the layer limit or the step budget (the loops' own work) stops it.
        string nested = string.Concat(Enumerable.Repeat("repeat 2 { ", 30)) + "relu" + new string('}', 30);
        var (result, elapsed) = Timed($"network N {{\n    input 3x8x8\n    {nested}\n}}");

        result.Diagnostics.ShouldHaveSingleItem().Code.ShouldBeOneOf("NN0301", "NN0306");
        elapsed.TotalSeconds.ShouldBeLessThan(1.0, $"took {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Exponential_function_calls_hit_the_step_budget_quickly()
    {
        var lets = Enumerable.Range(1, 40).Select(i => $"    let f{i}(x) = f{i - 1}(x) + f{i - 1}(x)");
        string text = "network N {\n    input 3x8x8\n    let f0(x) = x\n" + string.Join("\n", lets) + "\n    conv(f40(0) + 8)\n}";
        var (result, elapsed) = Timed(text);

        result.Diagnostics.Select(d => d.Code).ShouldBe(new[] { "NN0306" });
        elapsed.TotalSeconds.ShouldBeLessThan(1.0, $"took {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Integer_power_beyond_the_limit_is_reported_not_overflowed()
    {
        var result = Check.Text("network N {\n    input 3x8x8\n    conv(2 ^ 2000000000)\n}");

        result.Diagnostics.Single().Code.ShouldBe("NN0303");
    }
}
