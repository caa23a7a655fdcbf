using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NetDsl.Bench.Harness;

/// <summary>Where the figures came from: they mean little without the machine.</summary>
public sealed record MachineInfo(string Cpu, int LogicalCores, string OperatingSystem, string DotNet, string TorchSharp,
    string LibTorch, int TorchThreads)
{
    public static MachineInfo Current() => new(
        CpuModel(), Environment.ProcessorCount, OperatingSystemName(), RuntimeInformation.FrameworkDescription,
        InformationalVersion(typeof(torch).Assembly), torch.__version__, torch.get_num_threads());

    public IEnumerable<string> Lines()
    {
        yield return $"CPU: {Cpu}, {LogicalCores} logical cores (libtorch intra-op threads: {TorchThreads})";
        yield return $"OS: {OperatingSystem}";
        yield return $".NET: {DotNet}; TorchSharp {TorchSharp}, libtorch {LibTorch}";
    }

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine, how much else was running.</summary>
    public static string LoadAverage()
    {
        const string LoadAvg = "/proc/loadavg";
        return File.Exists(LoadAvg) ? string.Join(" ", File.ReadAllText(LoadAvg).Split(' ').Take(3)) : "unknown";
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
            return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(CpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string OperatingSystemName()
    {
        const string OsRelease = "/etc/os-release";
        var pretty = File.Exists(OsRelease)
            ? File.ReadLines(OsRelease).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        var name = pretty?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        const string Kernel = "/proc/sys/kernel/osrelease";
        return File.Exists(Kernel) ? $"{name}, Linux {File.ReadAllText(Kernel).Trim()}" : name;
    }

    private static string InformationalVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                      ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var metadata = version.IndexOf('+');
        return metadata < 0 ? version : version[..metadata];   // drop the commit hash
    }
}
