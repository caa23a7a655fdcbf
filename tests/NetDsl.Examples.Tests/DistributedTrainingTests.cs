using System.Text.RegularExpressions;
using NetDsl.Tests.Shared;

namespace NetDsl.Examples.Tests;

/// <summary>
/// examples/pytorch/train_ddp.py, as a user runs it from a clone: it emits the zoo's PyTorch code with netdsl, trains
/// MultiPathNet_Digits with DistributedDataParallel in two processes (gloo on 127.0.0.1), and its state dict
/// evaluates in .NET to the accuracy PyTorch printed.
/// </summary>
public sealed class DistributedTrainingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdsl-ddp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Two_processes_train_one_epoch_and_dotnet_evaluates_the_state_dict_to_the_same_accuracy()
    {
        var checkpoint = Path.Combine(_directory, "digits.pt");
        var printed = DebianTorch.RunScript(Path.Combine("examples", "pytorch", "train_ddp.py"),
            "--model", "MultiPathNet_Digits", "--processes", "2", "--epochs", "1", "--out", checkpoint);

        printed.ShouldContain("(2 processes x 63 batches)"); // 8,000 digits, 4,000 per process, batches of 64
        var trained = Regex.Match(printed, @"^accuracy: (\d+\.\d\d)% on 2000 held-out digits$", RegexOptions.Multiline);
        trained.Success.ShouldBeTrue(printed);
        double.Parse(trained.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(80);
        File.Exists(checkpoint).ShouldBeTrue();
        Directory.EnumerateFiles(_directory).ShouldBe([checkpoint], "no temporary file is left beside the state dict");

        var evaluation = ProgramRun.Of("eval", "--model", "MultiPathNet_Digits", "--checkpoint", checkpoint);
        evaluation.ExitCode.ShouldBe(0, evaluation.Output);
        evaluation.Output.ShouldContain(trained.Value, Case.Sensitive, "the same held-out digits, the same weights, the same accuracy");
    }
}
