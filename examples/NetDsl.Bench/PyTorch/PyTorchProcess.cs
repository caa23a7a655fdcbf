using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NetDsl.Bench.PyTorch;

/// <summary>
/// The PyTorch side of the bench: <c>PyTorch/bench.py</c> running under a Python that has torch and torchvision,
/// asked one request per line (see the script). It stays up for the whole run, so NetDsl and PyTorch rounds can
/// alternate seconds apart.
/// </summary>
public sealed class PyTorchProcess : IDisposable
{
    private readonly Process process;

    private PyTorchProcess(Process process) => this.process = process;

    /// <summary>The script shipped next to the bench's binaries.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "PyTorch", "bench.py");

    /// <summary>
    /// Starts the script with <paramref name="threads"/> intra-op threads; the networks torchvision lacks come from
    /// <paramref name="emittedPackage"/>, the zoo as written by <c>netdsl emit --target pytorch</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Python is missing or cannot import torch/torchvision; the message says which.</exception>
    public static PyTorchProcess Start(string python, int threads, string emittedPackage)
    {
        if (!File.Exists(ScriptPath))
            throw new InvalidOperationException($"the PyTorch script is missing: {ScriptPath}");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false, // Python's warnings go straight to the bench's stderr
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath);
        start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(emittedPackage);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {python}: {e.Message} (Debian: apt-get install python3-torch python3-torchvision)", e);
        }
        var yardstick = new PyTorchProcess(process);
        try
        {
            yardstick.Request("info");
        }
        catch (InvalidOperationException e)
        {
            yardstick.Dispose();
            throw new InvalidOperationException($"{python} cannot run {ScriptPath} ({e.Message}); it needs torch and torchvision " +
                "(Debian: apt-get install python3-torch python3-torchvision, then pass --python /usr/bin/python3)", e);
        }
        return yardstick;
    }

    /// <summary>Sends one request and returns the script's JSON answer.</summary>
    /// <exception cref="InvalidOperationException">The script stopped, or answered with an error.</exception>
    public JsonElement Request(string request)
    {
        process.StandardInput.WriteLine(request);
        process.StandardInput.Flush();
        var line = process.StandardOutput.ReadLine()
            ?? throw new InvalidOperationException($"the PyTorch script ended (exit code {(process.WaitForExit(5000) ? process.ExitCode : -1)}) on '{request}'");
        var answer = JsonDocument.Parse(line).RootElement.Clone();
        if (answer.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"PyTorch script, '{request}': {error.GetString()}");
        return answer;
    }

    /// <summary>Mean milliseconds per call of <paramref name="calls"/> consecutive calls, timed inside Python.</summary>
    public double Time(string model, string mode, int calls) =>
        Request(string.Create(CultureInfo.InvariantCulture, $"time {model} {mode} {calls}")).GetProperty("ms").GetDouble();

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.StandardInput.WriteLine("quit");
                process.StandardInput.Flush();
                if (!process.WaitForExit(10_000))
                    process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (IOException)
        {
            // Its stdin closed with it.
        }
        process.Dispose();
    }
}
