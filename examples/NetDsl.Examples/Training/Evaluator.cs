using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Training;

/// <summary>Measures a classifier's loss, accuracy and confusion matrix without changing it.</summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(nn.Module<Tensor, Tensor> model, IClassificationData data, int batchSize = 500)
    {
        var wasTraining = model.training;
        model.eval(); // dropout off, batch norm uses its running statistics
        try
        {
            using var noGrad = no_grad();
            var confusion = new ConfusionMatrix(data.ClassCount);
            double lossSum = 0;
            foreach (var batch in BatchPlan.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                var (inputs, labels) = data.CreateBatch(batch);
                var logits = model.call(inputs);
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
                var predicted = logits.argmax(1).data<long>().ToArray();
                var actual = labels.data<long>().ToArray();
                for (var i = 0; i < actual.Length; i++)
                    confusion.Add((int)actual[i], (int)predicted[i]);
            }
            return new EvaluationResult(data.Count == 0 ? 0 : lossSum / data.Count, confusion);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
