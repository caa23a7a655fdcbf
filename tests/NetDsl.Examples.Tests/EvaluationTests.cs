using NetDsl.Examples.Training;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public class EvaluationTests
{
    [Fact]
    public void Evaluation_fills_a_confusion_matrix_whose_diagonal_is_the_accuracy()
    {
        using var scope = NewDisposeScope();
        using var model = TinyCnn.Create(seed: 11, width: 4);
        var test = DigitsTestFile.Dataset.Test.Take(300);
        new Trainer(new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 3e-3 })
            .Fit(model, DigitsTestFile.Dataset.Train.Take(256));

        var result = Evaluator.Evaluate(model, test, batchSize: 128);

        var confusion = result.Confusion;
        confusion.ClassCount.ShouldBe(10);
        confusion.Total.ShouldBe(300);
        var rows = Enumerable.Range(0, 10).Select(a => Enumerable.Range(0, 10).Sum(p => confusion[a, p])).ToArray();
        rows.ShouldBe(test.ClassCounts().Select(c => (long)c).ToArray());
        Enumerable.Range(0, 10).Sum(k => confusion[k, k]).ShouldBe(confusion.Correct);
        result.Accuracy.ShouldBe(confusion.Correct / 300.0);
        model.training.ShouldBeTrue(); // evaluation restores the mode it found
    }

    [Fact]
    public void Confusion_matrix_counts_accuracy_and_recall()
    {
        var m = new ConfusionMatrix(3);
        m.Add(0, 0);
        m.Add(0, 1);
        m.Add(1, 1);
        m.Add(2, 2);

        m.Total.ShouldBe(4);
        m.Correct.ShouldBe(3);
        m.Accuracy.ShouldBe(0.75);
        m.Recall(0).ShouldBe(0.5);
        m.Recall(1).ShouldBe(1.0);
        m[0, 1].ShouldBe(1);
        m.ToArray().ShouldBe(new long[,] { { 1, 1, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
        m.ToString().ShouldBe(
            "actual\\pred    0   1   2" + Environment.NewLine +
            "0              1   1   0" + Environment.NewLine +
            "1              0   1   0" + Environment.NewLine +
            "2              0   0   1" + Environment.NewLine);
    }
}
