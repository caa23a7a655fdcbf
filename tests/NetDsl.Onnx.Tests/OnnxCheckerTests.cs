using System.Diagnostics;
using Xunit.Abstractions;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// The ONNX project's own checker (<c>onnx.checker.check_model(..., full_check=True)</c>, which includes strict
/// shape inference) accepts every exported file. It runs Debian's python3-onnx (<c>/usr/bin/python3</c>;
/// .ci/run installs it): one process over all files. Without it the test fails, it never skips.
/// </summary>
[Collection(ExportedNetworksCollection.Name)]
public class OnnxCheckerTests(ExportedNetworks exported, ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    private const string CheckScript = """
        import sys
        import onnx
        failed = 0
        for path in sys.argv[1:]:
            try:
                onnx.checker.check_model(onnx.load(path), full_check=True)
                print("ok", path)
            except Exception as error:
                failed += 1
                print("FAILED", path, str(error).replace("\n", " "))
        print("onnx", onnx.__version__)
        sys.exit(1 if failed else 0)
        """;

    [Fact]
    public async Task TheOnnxCheckerAcceptsEveryExportedFile()
    {
        File.Exists(Python).ShouldBeTrue($"{Python} is missing: install Debian's python3-onnx (apt-get install python3-onnx), as .ci/run does");
        var files = exported.All.Select(n => n.File).Order(StringComparer.Ordinal).ToList();

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(CheckScript);
        foreach (var file in files)
            start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var reading = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        var (stdout, stderr) = ((await reading)[0], (await reading)[1]);
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        stderr.ShouldNotContain("No module named 'onnx'",
            customMessage: "python3 has no onnx module: install Debian's python3-onnx (apt-get install python3-onnx), as .ci/run does");
        process.ExitCode.ShouldBe(0, $"the ONNX checker rejected a file:\n{stdout}\n{stderr}");
        stdout.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)).ShouldBe(files.Count);
    }
}
