using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NetDsl.Onnx.Protobuf;
using ZooTable = NetDsl.Zoo.Tests.Zoo;
using Xunit.Abstractions;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// Every zoo network and variant, the zoo's graph networks (several named outputs, or one full-resolution map) and the
/// construct networks as .onnx files run by ONNX Runtime: every output equals TorchSharp's evaluation-mode output at
/// batch 1 and 3 (the graph networks at batch 1), the file holds each weight once under its state-dict key, and the
/// model's interface (outputs named as in the .nn file) and metadata are the documented ones.
/// </summary>
[Collection(ExportedNetworksCollection.Name)]
public class OnnxRuntimeTests(ExportedNetworks exported, ITestOutputHelper output)
{
    /// <summary>Largest |ONNX Runtime − TorchSharp| allowed, relative to the largest |TorchSharp output| (per output).</summary>
    private const double RelativeTolerance = 1e-4;

    public static TheoryData<string> Names() => new(ExportedNetworks.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void OnnxRuntimeGivesTorchSharpsOutputsAtBatchOneAndThree(string name)
    {
        var network = exported[name];
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(network.File, options);
        network.Runs.ShouldNotBeEmpty();
        foreach (var (batch, run) in network.Runs.OrderBy(r => r.Key))
        {
            using var inputValue = OrtValue.CreateTensorValueFromMemory(run.Input, run.InputShape);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], network.OutputNames.ToArray());
            results.Count.ShouldBe(run.Outputs.Count, name);
            for (var i = 0; i < run.Outputs.Count; i++)
            {
                var expected = run.Outputs[i];
                var label = run.Outputs.Count == 1 ? name : $"{name}.{expected.Name}";
                var actualShape = results[i].GetTensorTypeAndShape().Shape;
                var actual = results[i].GetTensorDataAsSpan<float>().ToArray();

                actualShape.ShouldBe(expected.Shape, $"{label} at batch {batch}");
                var scale = (double)expected.Values.Max(Math.Abs);
                var worst = actual.Zip(expected.Values, (a, e) => (double)Math.Abs(a - e)).Max();
                output.WriteLine($"{label} batch {batch}: max |ORT - TorchSharp| = {worst:G3}, max |output| = {scale:G3}");
                expected.Values.All(float.IsFinite).ShouldBeTrue($"{label}: TorchSharp's outputs are not finite");
                scale.ShouldBeGreaterThan(0, $"{label}: all-zero outputs compare nothing");
                worst.ShouldBeLessThanOrEqualTo(RelativeTolerance * scale,
                    $"{label} at batch {batch}: ONNX Runtime differs from TorchSharp by {worst:G3}, more than {RelativeTolerance:G} × {scale:G3}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheModelTakesInputWithABatchDimensionAndCarriesItsMetadata(string name)
    {
        var network = exported[name];
        using var session = new InferenceSession(network.File);

        session.InputMetadata.Keys.ShouldBe([OnnxExporter.InputName]);
        session.OutputMetadata.Keys.ShouldBe(network.OutputNames);
        var input = session.InputMetadata[OnnxExporter.InputName];
        var shape = network.Summary.InputShape;
        input.Dimensions.ShouldBe([-1, (int)shape.Channels, (int)shape.Height, (int)shape.Width]);
        input.SymbolicDimensions[0].ShouldBe(OnnxExporter.BatchDimension);
        foreach (var expected in network.Runs.Values.First().Outputs)
        {
            var outputMetadata = session.OutputMetadata[expected.Name];
            outputMetadata.SymbolicDimensions[0].ShouldBe(OnnxExporter.BatchDimension, expected.Name);
            outputMetadata.Dimensions.Skip(1).Select(d => (long)d).ShouldBe(expected.Shape.Skip(1), $"{name}.{expected.Name}: one sample's shape");
        }

        var metadata = session.ModelMetadata;
        metadata.GraphName.ShouldBe(name);
        metadata.ProducerName.ShouldBe("NetDsl");
        metadata.CustomMetadataMap[OnnxExporter.NetworkKey].ShouldBe(name);
        metadata.CustomMetadataMap[OnnxExporter.InputShapeKey].ShouldBe(shape.ToString());
        metadata.CustomMetadataMap[OnnxExporter.VersionKey].ShouldBe(OnnxExporter.NetDslVersion);
        OnnxExporter.NetDslVersion.ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    /// <summary>The outputs are named as in the .nn file's <c>outputs</c> statement (p2 … p5, c3 … b7), in its order; a network
    /// with one output has the one output <c>output</c>, whatever its shape.</summary>
    [Theory]
    [InlineData("ResNet18FPN", new[] { "p2", "p3", "p4", "p5" })]
    [InlineData("EfficientDetD0", new[] { "c3", "c4", "c5", "c6", "c7", "b3", "b4", "b5", "b6", "b7" })]
    [InlineData("UNet", new[] { "output" })]
    public void TheGraphNetworksOutputsAreNamedAsInTheirNnFile(string name, string[] outputs)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(exported[name].File));
        model.Graph.Output.Select(o => o.Name).ShouldBe(outputs);
        // The generated class's figures list the same outputs (none for one output).
        var figures = NetDsl.Examples.Models.NetDslModels.All.Single(m => m.Name == name).Figures;
        figures.Outputs.ShouldBe(outputs.Length == 1 ? [] : outputs);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryWeightIsStoredOnceUnderItsStateDictKey(string name)
    {
        var network = exported[name];
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(network.File));

        model.IrVersion.ShouldBe(OnnxExporter.IrVersion);
        model.OpsetImport.ShouldHaveSingleItem().Version.ShouldBe(OnnxExporter.Opset);
        var names = model.Graph.Initializer.Select(i => i.Name).ToList();
        names.ShouldBeUnique();
        // Every state-dict entry but batch norm's step counters, which inference never reads.
        names.Order(StringComparer.Ordinal).ShouldBe(
            network.StateDictKeys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // Each weight once: the initializers' bytes are exactly the fp32 parameters and buffers.
        var weights = network.ParameterAndBufferBytes;
        model.Graph.Initializer.Sum(i => (long)i.RawData.Length).ShouldBe(weights);
        network.Summary.WeightBytes.ShouldBe(weights);

        // The rest is the graph: names (state-dict keys appear as initializer and as node input), attributes. That is
        // within 1 % of the weights for every zoo network of 1 MB or more; the 460 KB MultiPathNet_Digits carries 4.6 %.
        var size = new FileInfo(network.File).Length;
        network.Summary.Bytes.ShouldBe(size);
        var graphBytes = size - weights;
        output.WriteLine($"{name}: {size:N0} bytes for {weights:N0} bytes of weights ({graphBytes * 100.0 / weights:F2} % more), {network.Summary.Nodes} nodes");
        graphBytes.ShouldBeLessThanOrEqualTo(300L * (network.Summary.Nodes + network.Summary.Initializers), $"{name}: {graphBytes:N0} bytes besides the weights");
        if (ZooTable.AllNames.Contains(name) && weights >= 1_000_000)
            graphBytes.ShouldBeLessThanOrEqualTo(weights / 100, $"{name}: {size:N0} bytes for {weights:N0} bytes of fp32 weights");
    }
}
