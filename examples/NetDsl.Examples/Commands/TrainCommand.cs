using System.CommandLine;
using Spectre.Console;

namespace NetDsl.Examples.Commands;

/// <summary>
/// <c>train --model NAME [--epochs N] [--batch N] [--lr X] [--seed N] [--out DIR] [--resume | --overwrite | --init-from FILE]</c>: trains a zoo
/// model that fits the digits, with live progress, saving the checkpoint and an SVG plot after every epoch.
/// </summary>
public static class TrainCommand
{
    public static Command Create(IAnsiConsole console, CancellationToken cancellation)
    {
        var model = CommandOptions.Model();
        var epochs = new Option<int>("--epochs") { Description = "epochs in total (with --resume, those already trained count)", DefaultValueFactory = _ => TrainingDefaults.Epochs }.AtLeast(1);
        var batch = new Option<int>("--batch") { Description = "training batch size", DefaultValueFactory = _ => TrainingDefaults.BatchSize }.AtLeast(1);
        var learningRate = new Option<double>("--lr") { Description = "Adam's learning rate for the first epoch (x0.7 per epoch)", DefaultValueFactory = _ => TrainingDefaults.LearningRate }.Positive();
        var seed = new Option<int>("--seed") { Description = "seeds the weights and the batch order: the same seed gives the same run", DefaultValueFactory = _ => TrainingDefaults.Seed };
        var outDirectory = new Option<string?>("--out") { Description = "directory for the checkpoint and plot [default: runs/<model>]" };
        var resume = new Option<bool>("--resume") { Description = "continue from the checkpoint in --out (weights, history and optimizer state)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace the checkpoint in --out (without this or --resume, a run refuses to)" };
        var initFrom = new Option<string?>("--init-from") { Description = $"start from these weights instead of random ones (fine-tuning): {WeightFiles.Accepted}" };
        var limit = CommandOptions.Limit();
        var command = new Command("train", "Train a zoo model on the digits (1x28x28, 10 classes); Ctrl+C stops after the current batch.")
        {
            model, epochs, batch, learningRate, seed, outDirectory, resume, overwrite, limit, initFrom,
        };
        command.SetAction(parseResult => new TrainingSession(console).Run(new TrainingRequest(
            parseResult.GetValue(model)!,
            parseResult.GetValue(epochs),
            parseResult.GetValue(batch),
            parseResult.GetValue(learningRate),
            parseResult.GetValue(seed),
            parseResult.GetValue(outDirectory),
            parseResult.GetValue(resume),
            parseResult.LimitValue(limit),
            parseResult.GetValue(overwrite),
            parseResult.GetValue(initFrom)), cancellation));
        return command;
    }
}
