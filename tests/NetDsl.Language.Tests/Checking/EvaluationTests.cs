namespace NetDsl.Language.Tests.Checking;

/// <summary>Shapes, values and diagnostics of small hand-checkable networks.</summary>
public class EvaluationTests
{
    [Fact]
    public void Small_network_counts_by_hand()
    {
        var network = Check.Clean("""
            network Small {
                input 1x28x28
                conv(8, k: 3) relu
                maxpool(2)
                flatten linear(10)
            }
            """).Network("Small");

        // conv: 8*1*9 + 8 bias (relu follows, not bn) = 80 params, MACs 72*28*28 = 56,448
        network.Layer("0").Parameters.ShouldBe(80);
        network.Layer("0").Macs.ShouldBe(56_448);
        network.Layer("2").Output!.ToString().ShouldBe("8x14x14");
        // linear: 8*14*14 = 1,568 inputs: 15,680 weights + 10 bias, 15,680 MACs
        network.Layer("4").Parameters.ShouldBe(15_690);
        network.Parameters.ShouldBe(80 + 15_690);
        network.Macs.ShouldBe(56_448 + 15_680);
        network.Output!.ToString().ShouldBe("10");
    }

    [Fact]
    public void Divisible_follows_torchvision()
    {
        var network = Check.Clean("""
            network D {
                input 3x8x8
                conv(divisible(32 * 0.5, 8)) conv(divisible(24 * 0.75, 8)) conv(divisible(3, 8)) conv(round(2.5))
            }
            """).Network("D");

        network.Layers.Select(l => l.Output!.Channels).ShouldBe(new long[] { 16, 24, 8, 2 });
    }

    [Fact]
    public void Dense_concatenates_the_input_and_every_pass()
    {
        var network = Check.Clean("""
            network Dense {
                input 16x8x8
                dense 3 { bn relu conv(12, k: 3, bias: false) }
            }
            """).Network("Dense");

        network.Output!.ToString().ShouldBe("52x8x8");       // 16 + 3 * 12
        network.Layer("0.layer3.2").Parameters.ShouldBe(12 * 40 * 9);  // third pass sees 16 + 24 channels
    }

    [Fact]
    public void Errors_in_a_variant_say_so_and_point_into_the_network()
    {
        var result = Check.Text("""
            network Net(width: float = 1.0) {
                input 3x32x32
                conv(32 * width, k: 3)
            }
            variant Narrow = Net(width: 0.3)
            """);

        var diagnostic = result.Diagnostics.ShouldHaveSingleItem();
        diagnostic.Code.ShouldBe("NN0200");
        diagnostic.Message.ShouldBe("in variant Narrow: channel count 32 * 0.3 = 9.6 is not a whole number; use div, round(), floor() or divisible()");
        diagnostic.Location.Start.ShouldBe(new NetDsl.Syntax.LinePosition(2, 9));
        result.Network("Net").Parameters.ShouldBe(32 * 27 + 32);
    }

    [Fact]
    public void The_same_mistake_in_several_variants_is_reported_once()
    {
        var result = Check.Text("""
            network Net(width: float = 1.0) {
                input 3x32x32
                conv(32 * width, k: 3)
            }
            variant A = Net(width: 0.3)
            variant B = Net(width: 0.7)
            """);

        result.Diagnostics.Count.ShouldBe(1);
        result.Diagnostics[0].Message.ShouldStartWith("in variant A:");
    }

    [Fact]
    public void Independent_errors_are_all_reported_in_one_pass()
    {
        var result = Check.Text("""
            network Net {
                input 3x8x8
                convv(8)
                conv(8, kk: 3)
                conv(64 / 3)
                flatten conv(8)
            }
            network Other {
                input 3x8x8
                flatten conv(8)
            }
            """);

        // The bad argument makes Net's shape unknown from there on, so its flatten conv(8) is not reported
        // as a follow-on error; the same mistake in Other is.
        result.Diagnostics.Select(d => d.Code).ShouldBe(new[] { "NN0100", "NN0103", "NN0200", "NN0209" });
        result.Diagnostics[3].Location.Start.Line.ShouldBe(9); // zero-based: line 10
    }

    [Fact]
    public void After_a_shape_error_the_checker_goes_on_and_reports_an_independent_later_mistake()
    {
        // groups 3 do not divide 16 channels (NN0202); the shuffle's 5 groups do not divide the conv's 32 channels (NN0221):
        // the second mistake does not follow from the first, so both are reported in one pass.
        var result = Check.Text("""
            network Two {
                input 16x8x8
                conv(33, groups: 3)
                conv(32, k: 3)
                shuffle(5)
                avgpool flatten linear(10)
            }
            """);

        result.Diagnostics.Select(d => d.Code).ShouldBe(["NN0202", "NN0221"]);
        var network = result.Network("Two");
        network.Layer("0").Output.ShouldBeNull();
        network.Layer("1").Output!.ToString().ShouldBe("32x8x8");
        network.Output.ShouldBeNull();
    }

    [Theory]
    [InlineData("conv(64 / 3, k: 3)", "NN0200", "21x8x8")]
    [InlineData("parallel add { path { conv(16) } path { conv(8) } }", "NN0205", "16x8x8")]
    [InlineData("parallel concat { path { conv(16) } path { conv(8, s: 2) } }", "NN0204", "24x8x8")]
    [InlineData("conv(16) -> a conv(8) -> b add(a, b)", "NN0402", "16x8x8")]
    [InlineData("conv(16) -> a conv(8, s: 2) -> b concat(a, b)", "NN0402", "24x8x8")]
    public void After_a_channel_or_merge_error_the_checker_goes_on_with_the_likely_shape(string mistake, string code, string likely)
    {
        // The shuffle's 5 groups divide none of the likely channel counts: an independent mistake, reported in the same pass.
        var result = Check.Text($$"""
            network Two {
                input 16x8x8
                {{mistake}}
                -> after shuffle(5)
                from after avgpool flatten linear(10)
            }
            """);

        result.Diagnostics.Select(d => d.Code).ShouldBe([code, "NN0221"]);
        result.Diagnostics[1].Message.ShouldContain($"the {likely.Split('x')[0]} channels");
        result.Network("Two").Output.ShouldBeNull();
    }
}
