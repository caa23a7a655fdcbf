namespace NetDsl.Language.Tests.Checking;

/// <summary>Full networks against torchvision's figures (/work/shared/reference/reference-counts.md): parameters exactly, MACs within 0.5 %.</summary>
public class ReferenceNetworkTests
{
    public const string MobileNetV2 = """
        network MobileNetV2(width: float = 1.0, classes: int = 1000, dropout: float = 0.2) {
            input 3x224x224
            let ch(c) = divisible(c * width, 8)

            conv(ch(32), k: 3, s: 2) bn relu6
            for (t, c, n, s) in [(1,16,1,1), (6,24,2,2), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1)] {
                repeat n as i { InvertedResidual(ch(c), expand: t, s: i == 0 ? s : 1) }
            }
            conv(divisible(1280 * max(1.0, width), 8), k: 1) bn relu6
            avgpool flatten dropout(dropout) linear(classes)
        }

        block InvertedResidual(out: int, expand: int, s: int = 1) {
            residual when s == 1 && in == out {
                if expand != 1 { conv(round(in * expand), k: 1) bn relu6 }
                dwconv(k: 3, s: s) bn relu6
                conv(out, k: 1) bn
            }
        }

        variant MobileNetV2_050 = MobileNetV2(width: 0.5)
        variant MobileNetV2_Cifar = MobileNetV2(classes: 10) { input 3x32x32 }
        """;

    public const string CifarResNet18 = """
        network ResNet18(classes: int = 10) {
            input 3x32x32
            conv(64, k: 3) bn relu
            for (c, s) in [(64, 1), (128, 2), (256, 2), (512, 2)] {
                repeat 2 as i { BasicBlock(c, s: i == 0 ? s : 1) }
            }
            avgpool flatten linear(classes)
        }

        block BasicBlock(out: int, s: int = 1) {
            residual(project: true) {
                conv(out, k: 3, s: s) bn relu
                conv(out, k: 3) bn
            }
            relu
        }
        """;

    [Fact]
    public void MobileNetV2_matches_torchvision()
    {
        var network = Check.Clean(MobileNetV2).Network("MobileNetV2");

        network.Parameters.ShouldBe(3_504_872);
        (network.Macs / 1e6).ShouldBe(300.77, 300.77 * 0.005);
        network.SizeMiB.ShouldBe(13.37, 0.005);
        network.Output!.ToString().ShouldBe("1000");
    }

    [Fact]
    public void MobileNetV2_width_half_matches_torchvision()
    {
        var network = Check.Clean(MobileNetV2).Network("MobileNetV2_050");

        network.Parameters.ShouldBe(1_968_680);
        (network.Macs / 1e6).ShouldBe(97.13, 97.13 * 0.005);
        network.VariantName.ShouldBe("MobileNetV2_050");
        network.NetworkName.ShouldBe("MobileNetV2");
    }

    [Fact]
    public void A_variant_with_its_own_input_changes_shapes_not_parameters_of_convolutions()
    {
        var network = Check.Clean(MobileNetV2).Network("MobileNetV2_Cifar");

        network.Input.ToString().ShouldBe("3x32x32");
        network.Layer("0").Output!.ToString().ShouldBe("32x16x16");
        // Same convolutions as the 1000-class network; the classifier has 1280*10+10 instead of 1280*1000+1000.
        network.Parameters.ShouldBe(3_504_872 - 1_281_000 + 12_810);
    }

    [Fact]
    public void MobileNetV2_rows_follow_the_state_dict_naming()
    {
        var network = Check.Clean(MobileNetV2).Network("MobileNetV2");

        network.Layer("0").Description.ShouldBe("conv 3x3/2, 32");
        network.Layer("0").Parameters.ShouldBe(32 * 3 * 3 * 3); // no bias: bn follows
        network.Layer("3").Kind.ShouldBe("InvertedResidual");
        network.Layer("3").Description.ShouldBe("InvertedResidual(16, expand: 1, s: 1)");
        network.Layer("3.0.body.0").Description.ShouldBe("dwconv 3x3");
        network.Layer("4").Description.ShouldBe("InvertedResidual(24, expand: 6, s: 2)");
        network.Layer("4.0.body.0").Description.ShouldBe("conv 1x1, 96");
        network.Layer("4.0.body.3").Output!.ToString().ShouldBe("96x56x56");
        network.Layer("4").Output!.ToString().ShouldBe("24x56x56");
        network.Layer("4").Depth.ShouldBe(0);
        network.Layer("4.0").Depth.ShouldBe(1);
        network.Layer("4.0.body.0").Depth.ShouldBe(2);
        network.Layers.Last().Path.ShouldBe("26"); // 3 stem layers, 17 blocks (3..19), conv bn relu6 avgpool flatten dropout linear
        network.Layers.Last().Parameters.ShouldBe(1280 * 1000 + 1000);
    }

    [Fact]
    public void Cifar_ResNet18_matches_the_reference()
    {
        var network = Check.Clean(CifarResNet18).Network("ResNet18");

        network.Parameters.ShouldBe(11_173_962);
        (network.Macs / 1e6).ShouldBe(555.42, 555.42 * 0.005);
        network.SizeMiB.ShouldBe(42.63, 0.005);
        network.Layer("5.0.shortcut.0").Description.ShouldBe("conv 1x1/2, 128");
        network.Layer("5.0.shortcut.0").Parameters.ShouldBe(64 * 128);
        network.Layer("5.0.shortcut.1").Parameters.ShouldBe(2 * 128);
    }

    public const string CifarSeResNet18 = """
        network SEResNet18(classes: int = 10) {
            input 3x32x32
            conv(64, k: 3) bn relu
            for (c, s) in [(64, 1), (128, 2), (256, 2), (512, 2)] {
                repeat 2 as i { SEBasicBlock(c, s: i == 0 ? s : 1) }
            }
            avgpool flatten linear(classes)
        }

        block SEBasicBlock(out: int, s: int = 1) {
            residual(project: true) {
                conv(out, k: 3, s: s) bn relu
                conv(out, k: 3) bn
                se(reduce: 16)
            }
            relu
        }
        """;

    [Fact]
    public void Cifar_SE_ResNet18_matches_the_reference()
    {
        var network = Check.Clean(CifarSeResNet18).Network("SEResNet18");

        network.Parameters.ShouldBe(11_263_042);
        (network.Macs / 1e6).ShouldBe(555.51, 555.51 * 0.005);
    }
}
