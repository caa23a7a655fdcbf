using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NetDsl.Zoo.Tests;

/// <summary>Building, running and disposing a network again and again does not make the process grow.</summary>
public class MemoryTests(ITestOutputHelper output)
{
    private const int Iterations = 5;
    private const long AllowedGrowth = 150L * 1024 * 1024;

    [Fact]
    public void BuildingForwardingAndDisposingMobileNetV2FiveTimesDoesNotGrowTheWorkingSet()
    {
        var sizes = new long[Iterations];
        for (int i = 0; i < Iterations; i++)
        {
            RunOnce();
            sizes[i] = WorkingSetAfterCollection();
        }

        output.WriteLine("working set after each iteration (MiB): " + string.Join(", ", sizes.Select(s => (s / 1048576.0).ToString("F1"))));
        long growth = sizes[^1] - sizes[0];
        output.WriteLine($"growth after the first iteration: {growth / 1048576.0:F1} MiB");
        growth.ShouldBeLessThan(AllowedGrowth);
    }

    private static void RunOnce()
    {
        using var scope = NewDisposeScope();
        using var module = new Examples.Models.MobileNetV2();
        module.train();
        var input = randn(2, 3, 224, 224);
        var targets = tensor(new long[] { 1, 999 });
        nn.functional.cross_entropy(module.call(input), targets).backward();
    }

    private static long WorkingSetAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // libtorch frees its tensors with free(); glibc keeps freed pages in its arenas until trimmed, which
        // would count cached, reusable memory as growth.
        MallocTrim(0);
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
