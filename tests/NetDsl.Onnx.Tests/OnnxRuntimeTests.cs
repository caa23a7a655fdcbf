using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NetDsl.Onnx.Protobuf;
using ZooTable = NetDsl.Zoo.Tests.Zoo;
using Xunit.Abstractions;

namespace NetDsl.Onnx.Tests;

/// <summary>
/// Every zoo network and variant, and the construct networks, as .onnx files run by ONNX Runtime: the
/// outputs equal TorchSharp's evaluation-mode outputs at batch 1 and 3, the file holds each weight once under
/// its state-dict key, and the model's interface and metadata are the documented ones.
/// </summary>
[Collection(ExportedNetworksCollection.Name)]
public class OnnxRuntimeTests(ExportedNetworks exported, ITestOutputHelper output)
{
    /// <summary>Largest |ONNX Runtime − TorchSharp| allowed, relative to the largest |TorchSharp output|.</summary>
    private const double RelativeTolerance = 1e-4;

    public static TheoryData<string> Names() =>
        new(ZooTable.Factories.Keys.Concat(ConstructNetworks.Factories.Keys).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void OnnxRuntimeGivesTorchSharpsOutputsAtBatchOneAndThree(string name)
    {
        var network = exported[name];
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(network.File, options);
        foreach (var batch in ExportedNetworks.Batches)
        {
            var (input, inputShape, expected, expectedShape) = network.Runs[batch];
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, inputShape);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [OnnxExporter.InputName], [inputValue], [OnnxExporter.OutputName]);
            var actualShape = results[0].GetTensorTypeAndShape().Shape;
            var actual = results[0].GetTensorDataAsSpan<float>().ToArray();

            actualShape.ShouldBe(expectedShape, $"{name} at batch {batch}");
            var scale = (double)expected.Max(Math.Abs);
            var worst = actual.Zip(expected, (a, e) => (double)Math.Abs(a - e)).Max();
            output.WriteLine($"{name} batch {batch}: max |ORT - TorchSharp| = {worst:G3}, max |output| = {scale:G3}");
            expected.All(float.IsFinite).ShouldBeTrue($"{name}: TorchSharp's outputs are not finite");
            scale.ShouldBeGreaterThan(0, $"{name}: all-zero outputs compare nothing");
            worst.ShouldBeLessThanOrEqualTo(RelativeTolerance * scale,
                $"{name} at batch {batch}: ONNX Runtime differs from TorchSharp by {worst:G3}, more than {RelativeTolerance:G} × {scale:G3}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheModelTakesInputWithABatchDimensionAndCarriesItsMetadata(string name)
    {
        var network = exported[name];
        using var session = new InferenceSession(network.File);

        session.InputMetadata.Keys.ShouldBe([OnnxExporter.InputName]);
        session.OutputMetadata.Keys.ShouldBe([OnnxExporter.OutputName]);
        var input = session.InputMetadata[OnnxExporter.InputName];
        var shape = network.Summary.InputShape;
        input.Dimensions.ShouldBe([-1, (int)shape.Channels, (int)shape.Height, (int)shape.Width]);
        input.SymbolicDimensions[0].ShouldBe(OnnxExporter.BatchDimension);
        session.OutputMetadata[OnnxExporter.OutputName].SymbolicDimensions[0].ShouldBe(OnnxExporter.BatchDimension);

        var metadata = session.ModelMetadata;
        metadata.GraphName.ShouldBe(name);
        metadata.ProducerName.ShouldBe("NetDsl");
        metadata.CustomMetadataMap[OnnxExporter.NetworkKey].ShouldBe(name);
        metadata.CustomMetadataMap[OnnxExporter.InputShapeKey].ShouldBe(shape.ToString());
        metadata.CustomMetadataMap[OnnxExporter.VersionKey].ShouldBe(OnnxExporter.NetDslVersion);
        OnnxExporter.NetDslVersion.ShouldMatch(@"^\d+\.\d+\.\d+");
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
        if (ZooTable.Factories.ContainsKey(name) && weights >= 1_000_000)
            graphBytes.ShouldBeLessThanOrEqualTo(weights / 100, $"{name}: {size:N0} bytes for {weights:N0} bytes of fp32 weights");
    }
}
