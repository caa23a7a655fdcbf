using System.Text.Json;
using NetDsl.Cli.Commands;

namespace NetDsl.Language.Tests.Checking;

/// <summary><c>netdsl summary</c>: tables, totals line, --variant, --json and the exit code on errors.</summary>
public class SummaryCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-summary").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Prints_a_table_per_network_and_variant_with_totals()
    {
        string file = Write("mobilenet.nn", ReferenceNetworkTests.MobileNetV2);
        var output = new StringWriter();

        SummaryCommand.Run(new[] { file }, null, false, output).ShouldBe(0);

        string text = output.ToString();
        text.ShouldContain("MobileNetV2: 3,504,872 parameters, 300.77 M MACs, 13.37 MiB at 3x224x224");
        text.ShouldContain("MobileNetV2_050 (variant of MobileNetV2)");
        text.ShouldContain("    4.0.body.0");   // indented by depth
        text.ShouldContain("InvertedResidual(24, expand: 6, s: 2)");
    }

    [Fact]
    public void Json_for_one_variant()
    {
        string file = Write("mobilenet.nn", ReferenceNetworkTests.MobileNetV2);
        var output = new StringWriter();

        SummaryCommand.Run(new[] { file }, "MobileNetV2_050", true, output).ShouldBe(0);

        using var json = JsonDocument.Parse(output.ToString());
        var network = json.RootElement.EnumerateArray().ShouldHaveSingleItem();
        network.GetProperty("name").GetString().ShouldBe("MobileNetV2_050");
        network.GetProperty("parameters").GetInt64().ShouldBe(1_968_680);
        network.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ShouldBe(new long[] { 3, 224, 224 });
        var first = network.GetProperty("layers")[0];
        first.GetProperty("path").GetString().ShouldBe("0");
        first.GetProperty("kind").GetString().ShouldBe("conv");
        first.GetProperty("output").EnumerateArray().Select(e => e.GetInt64()).ShouldBe(new long[] { 16, 112, 112 });
    }

    [Fact]
    public void Exits_1_with_the_diagnostics_when_the_files_have_errors()
    {
        string file = Write("bad.nn", "network N {\n    input 3x8x8\n    convv(8)\n}\n");
        var output = new StringWriter();

        SummaryCommand.Run(new[] { file }, null, false, output).ShouldBe(1);

        output.ToString().ShouldContain("error NN0100: unknown layer 'convv'; did you mean 'conv'?");
    }
}
