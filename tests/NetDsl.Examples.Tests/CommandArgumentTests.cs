namespace NetDsl.Examples.Tests;

public class CommandArgumentTests
{
    [Fact]
    public void An_unknown_model_is_refused_with_the_closest_names()
    {
        var run = ProgramRun.Of("train", "--model", "MultiPathNet_Digit");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("error: unknown model 'MultiPathNet_Digit'; did you mean 'MultiPathNet_Digits'");
        run.Output.ShouldContain("The zoo has: ");
    }

    [Theory]
    [InlineData("eval", "--model", "mobilenetv2", "--checkpoint", "x.weights")]
    [InlineData("summary", "mobilenetv2")]
    public void Every_command_suggests_names_for_a_mistyped_model(params string[] args)
    {
        var run = ProgramRun.Of(args);

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("did you mean 'MobileNetV2'");
    }

    [Fact]
    public void A_network_that_cannot_take_digits_is_refused_with_what_it_expects_and_what_fits()
    {
        var run = ProgramRun.Of("train", "--model", "MobileNetV2");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("MobileNetV2 expects 3x224x224 and gives 1000 outputs; digits are 1x28x28 with 10 classes");
        run.Output.ShouldContain("use a variant with `input 1x28x28` and `classes: 10` (e.g. MultiPathNet_Digits)");
    }

    [Fact]
    public void A_cifar_network_with_ten_classes_still_needs_one_input_channel()
    {
        var run = ProgramRun.Of("train", "--model", "CifarResNet18");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("CifarResNet18 expects 3x32x32 and gives 10 outputs");
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1, not 0")]
    [InlineData("--epochs", "-3", "--epochs must be at least 1, not -3")]
    [InlineData("--batch", "0", "--batch must be at least 1, not 0")]
    [InlineData("--lr", "0", "--lr must be a positive number, not 0")]
    [InlineData("--epochs", "many", "many")]
    [InlineData("--limit", "0", "--limit must be at least 1, not 0")]
    [InlineData("--limit", "all", "all")]
    public void Out_of_range_settings_are_parse_errors(string option, string value, string message)
    {
        var run = ProgramRun.Of("train", "--model", "MultiPathNet_Digits", option, value);

        run.ExitCode.ShouldNotBe(0);
        run.Output.ShouldContain(message);
        run.Output.ShouldNotContain("training MultiPathNet_Digits");
    }

    [Fact]
    public void Train_without_a_model_says_the_option_is_required()
    {
        var run = ProgramRun.Of("train");

        run.ExitCode.ShouldNotBe(0);
        run.Output.ShouldContain("--model");
    }

    [Fact]
    public void The_limit_option_is_hidden_from_help()
    {
        var run = ProgramRun.Of("train", "--help");

        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("--resume");
        run.Output.ShouldNotContain("--limit");
    }
}
