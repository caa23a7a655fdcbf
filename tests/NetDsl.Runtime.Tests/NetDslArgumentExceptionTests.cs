namespace NetDsl.Runtime.Tests;

public class NetDslArgumentExceptionTests
{
    [Fact]
    public void MessageIsCodeColonDiagnosticText()
    {
        var error = new NetDslArgumentException("NN0201", "channel count 64 / 3 is not a whole number", "paths");

        error.Message.ShouldBe("NN0201: channel count 64 / 3 is not a whole number");
        error.Code.ShouldBe("NN0201");
        error.DiagnosticMessage.ShouldBe("channel count 64 / 3 is not a whole number");
        error.ParamName.ShouldBe("paths");
        error.ShouldBeAssignableTo<ArgumentException>();
    }

    [Fact]
    public void WithoutAParameterNameTheMessageIsTheSame()
    {
        new NetDslArgumentException("NN0104", "repeat count -1 is negative").Message
            .ShouldBe("NN0104: repeat count -1 is negative");
    }

    [Fact]
    public void NeedsACode()
    {
        Should.Throw<ArgumentException>(() => new NetDslArgumentException(" ", "text")).ParamName.ShouldBe("code");
    }
}
