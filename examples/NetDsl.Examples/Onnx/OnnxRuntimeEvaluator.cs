using Microsoft.ML.OnnxRuntime;
using NetDsl.Examples.Training;
using NetDsl.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Onnx;

/// <summary>Measures an exported <c>.onnx</c> classifier with ONNX Runtime on the same batches <see cref="Evaluator"/> uses.</summary>
public static class OnnxRuntimeEvaluator
{
    public static EvaluationResult Evaluate(string onnxPath, IClassificationData data, int batchSize = 500)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnxPath, options);
        using var runOptions = new RunOptions();
        var confusion = new ConfusionMatrix(data.ClassCount);
        double lossSum = 0;
        foreach (var batch in BatchPlan.Sequential(data.Count, batchSize))
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = data.CreateBatch(batch);
            using var input = OrtValue.CreateTensorValueFromMemory(inputs.contiguous().data<float>().ToArray(), inputs.shape);
            using var results = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
            // The loss and the predictions as Evaluator computes them, from ONNX Runtime's logits.
            var logits = tensor(results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            var predicted = logits.argmax(1).data<long>().ToArray();
            var actual = labels.data<long>().ToArray();
            for (var i = 0; i < actual.Length; i++)
                confusion.Add((int)actual[i], (int)predicted[i]);
        }
        return new EvaluationResult(data.Count == 0 ? 0 : lossSum / data.Count, confusion);
    }
}
