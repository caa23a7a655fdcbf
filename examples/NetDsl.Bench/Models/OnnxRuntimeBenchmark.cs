using Microsoft.ML.OnnxRuntime;
using NetDsl.Bench.Harness;
using NetDsl.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.Models;

/// <summary>One figure: the generated module's eval forward in TorchSharp against its ONNX export in ONNX Runtime.</summary>
/// <param name="MaxRelativeDifference">Largest |ONNX Runtime − TorchSharp| over the largest |TorchSharp output|, for the timed input.</param>
public sealed record OnnxRuntimeResult(string Model, int Batch, PairedTiming Timing, double MaxRelativeDifference);

/// <summary>
/// ONNX Runtime (all graph optimizations, its default; as many intra-op threads as libtorch has) against
/// TorchSharp (eval mode, no_grad) on the same input, timed in the same paired rounds as the other model
/// figures. A figure, not a goal.
/// </summary>
public sealed class OnnxRuntimeBenchmark(BenchOptions options)
{
    public static readonly int[] Batches = [1, 8];

    public IEnumerable<OnnxRuntimeResult> Run(ModelCase model)
    {
        var file = Path.Combine(Path.GetTempPath(), $"netdsl-bench-{model.Name}-{Guid.NewGuid():N}.onnx");
        try
        {
            using var module = model.CreateGenerated();
            module.eval();
            OnnxExporter.ExportFile(module, file);
            // The same number of threads on both sides, so the ratio compares the runtimes, not the thread counts.
            using var sessionOptions = new SessionOptions { IntraOpNumThreads = torch.get_num_threads(), InterOpNumThreads = 1 };
            using var session = new InferenceSession(file, sessionOptions);
            var results = new List<OnnxRuntimeResult>();
            foreach (var batch in Batches)
                results.Add(Measure(model, module, session, batch));
            return results;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private OnnxRuntimeResult Measure(ModelCase model, nn.Module<Tensor, Tensor> module, InferenceSession session, int batch)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var input = randn(batch, model.Input.Channels, model.Input.Height, model.Input.Width);
        var data = input.data<float>().ToArray();
        using var ortInput = OrtValue.CreateTensorValueFromMemory(data, input.shape);
        using var runOptions = new RunOptions();
        string[] inputNames = [OnnxExporter.InputName], outputNames = [OnnxExporter.OutputName];

        void TorchSharpForward()
        {
            using var noGrad = no_grad();
            module.call(input).Dispose();
        }
        void OnnxRuntimeRun()
        {
            using var outputs = session.Run(runOptions, inputNames, [ortInput], outputNames);
        }

        double difference;
        using (no_grad())
        using (var outputs = session.Run(runOptions, inputNames, [ortInput], outputNames))
        {
            var expected = module.call(input).data<float>().ToArray();
            var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            difference = actual.Zip(expected, (a, e) => (double)Math.Abs(a - e)).Max() / expected.Max(v => (double)Math.Abs(v));
        }
        var timing = PairedTimer.Measure(TorchSharpForward, OnnxRuntimeRun, options.PlanFor(() => { TorchSharpForward(); OnnxRuntimeRun(); }));
        return new OnnxRuntimeResult(model.Name, batch, timing, difference);
    }
}
