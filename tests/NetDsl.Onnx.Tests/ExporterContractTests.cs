using NetDsl.Runtime;
using NetDsl.Runtime.Composition;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Onnx.Tests;

/// <summary>What the exporter promises besides the graph: clear refusals, no partial files, no side effects on the module or torch's generator.</summary>
public sealed class ExporterContractTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-onnx-contract-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private sealed class Network : SequentialModule
    {
        public Network(FeatureShape input, params (string Label, nn.Module<Tensor, Tensor> Module)[] steps) : base("Network")
        {
            InputShape = input;
            foreach (var (label, module) in steps)
                Append(label, module);
        }
    }

    private static Network WithUnknownLayer()
    {
        var body = new SequentialModule("blocks");
        body.Append(nn.Conv2d(3, 4, 3, padding: 1));
        body.Append("act", nn.PReLU(4));
        return new Network(new FeatureShape(3, 8, 8), ("blocks", body), ("pool", nn.AdaptiveAvgPool2d(1)));
    }

    [Fact]
    public void A_layer_without_an_onnx_form_is_refused_with_its_path_and_no_file_is_written()
    {
        using var module = WithUnknownLayer();
        var target = Path.Combine(directory, "net.onnx");
        File.WriteAllText(target, "earlier export");

        var error = Should.Throw<OnnxExportException>(() => OnnxExporter.ExportFile(module, target));

        error.ModulePath.ShouldBe("blocks.act");
        error.Message.ShouldBe("blocks.act: TorchSharp.Modules.PReLU has no ONNX export in NetDsl");
        File.ReadAllText(target).ShouldBe("earlier export");
        Directory.EnumerateFiles(directory).ShouldHaveSingleItem();
    }

    [Fact]
    public void An_output_in_a_missing_directory_fails_before_any_work()
    {
        using var module = new Network(new FeatureShape(3, 8, 8), ("conv", nn.Conv2d(3, 4, 3)));

        Should.Throw<IOException>(() => OnnxExporter.ExportFile(module, Path.Combine(directory, "missing", "net.onnx")))
            .Message.ShouldContain("does not exist");
        Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
    }

    [Fact]
    public void A_module_without_a_declared_input_needs_the_input_shape()
    {
        using var block = new SequentialModule("block");
        block.Append(nn.Conv2d(8, 8, 3, padding: 1));
        using var stream = new MemoryStream();

        Should.Throw<ArgumentException>(() => OnnxExporter.Export(block, stream)).Message.ShouldContain("OnnxExportOptions.InputShape");
        var summary = OnnxExporter.Export(block, stream, new OnnxExportOptions("Block", new FeatureShape(8, 5, 5)));

        summary.NetworkName.ShouldBe("Block");
        summary.Initializers.ShouldBe(2);
        stream.Length.ShouldBe(summary.Bytes);
    }

    [Fact]
    public void Export_leaves_the_training_mode_and_torchs_global_generator_as_they_were()
    {
        using var module = new Network(new FeatureShape(3, 8, 8), ("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)));
        module.train();
        manual_seed(11);
        var expected = randn(4).data<float>().ToArray();
        manual_seed(11);

        OnnxExporter.Export(module, Stream.Null);

        module.training.ShouldBeTrue();
        module.modules().All(m => m.training).ShouldBeTrue();
        randn(4).data<float>().ToArray().ShouldBe(expected);
    }
}
