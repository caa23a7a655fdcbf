using System.CommandLine;
using System.Globalization;
using NetDsl.Examples.Data;
using NetDsl.Examples.Training;
using NetDsl.Examples.Zoo;
using Spectre.Console;
using static TorchSharp.torch;

namespace NetDsl.Examples.Commands;

/// <summary><c>eval --model NAME --checkpoint FILE</c>: accuracy on the held-out digits and the confusion matrix.</summary>
public static class EvalCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var model = CommandOptions.Model();
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = $"the weights: {WeightFiles.Accepted} (runs/<model>/<model>.ckpt)",
            Required = true,
        };
        var limit = CommandOptions.Limit();
        var showMap = WeightFiles.ShowMapOption();
        var command = new Command("eval", "Evaluate a trained zoo model on the held-out digits.") { model, checkpoint, limit, showMap };
        command.SetAction(parseResult => CommandErrors.Guard(console, () => Run(console, parseResult.GetValue(model)!, parseResult.GetValue(checkpoint)!, parseResult.LimitValue(limit),
            showMap: parseResult.GetValue(showMap))));
        return command;
    }

    public static int Run(IAnsiConsole console, string modelName, string checkpointPath, int? limit = null, ModelCatalog? catalog = null, bool showMap = false)
    {
        catalog ??= ModelCatalog.Default;
        if (catalog.Find(modelName) is not { } model)
            return CommandErrors.Report(console, catalog.UnknownModelMessage(modelName));
        if (CommandErrors.SeveralOutputs(model, "eval") is { } severalOutputs)
            return CommandErrors.Report(console, severalOutputs);
        if (DigitsFit.WhyNot(model, catalog.Models) is { } misfit)
            return CommandErrors.Report(console, misfit);

        using var scope = NewDisposeScope();
        using var module = model.Create();
        var (weights, refusal) = WeightFiles.Load(module, model, checkpointPath, showMap ? console : null);
        if (refusal is not null)
            return CommandErrors.Report(console, refusal);

        var test = DigitsFile.LoadDefault().Test;
        if (limit is { } count)
            test = test.Take(count);
        var result = Evaluator.Evaluate(module, test);
        var trained = weights!.Info is { } info ? $"after {info.Epoch} epochs ({checkpointPath})" : $"with {weights.Description}";
        console.MarkupLine(Markup.Escape($"{model.Name} {trained}: mean loss {result.MeanLoss:F4}"));
        console.Write(ConfusionTable(result.Confusion));
        console.MarkupLine(Markup.Escape(TrainingSession.AccuracyLine(result)));
        return 0;
    }

    /// <summary>Actual digits down, predicted across; the diagonal (correct) in green, mistakes in red, with each digit's recall.</summary>
    public static Table ConfusionTable(ConfusionMatrix confusion)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("confusion matrix (rows: actual digit, columns: predicted)");
        table.AddColumn(new TableColumn("actual").Centered());
        for (var predicted = 0; predicted < confusion.ClassCount; predicted++)
            table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned());
        table.AddColumn(new TableColumn("recall").RightAligned());
        for (var actual = 0; actual < confusion.ClassCount; actual++)
        {
            var cells = new List<string> { actual.ToString(CultureInfo.InvariantCulture) };
            for (var predicted = 0; predicted < confusion.ClassCount; predicted++)
            {
                var count = confusion[actual, predicted];
                cells.Add(actual == predicted ? $"[green]{count}[/]" : count == 0 ? "[grey]0[/]" : $"[red]{count}[/]");
            }
            cells.Add((confusion.Recall(actual) * 100).ToString("F1", CultureInfo.InvariantCulture) + " %");
            table.AddRow(cells.ToArray());
        }
        return table;
    }
}
