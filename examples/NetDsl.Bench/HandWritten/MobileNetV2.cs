using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.HandWritten;

/// <summary>
/// MobileNetV2 as torchvision writes it (torchvision/models/mobilenetv2.py, TorchSharp's port): <c>features</c>
/// (stem, 17 inverted residuals, 1x1 head conv), then global average pool, flatten, <c>classifier</c>
/// (dropout, linear). In-place ReLU6 and a dispose scope owned by the caller, as in TorchSharp's models.
/// </summary>
public sealed class MobileNetV2 : nn.Module<Tensor, Tensor>
{
    // t (expansion), c (output channels), n (repeats), s (stride of the first repeat): the paper's Table 2.
    private static readonly (long Expand, long Channels, int Repeats, long Stride)[] InvertedResidualSetting =
    {
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    };

    private readonly nn.Module<Tensor, Tensor> features;
    private readonly nn.Module<Tensor, Tensor> classifier;

    public MobileNetV2(long numClasses = 1000, double widthMult = 1.0, double dropout = 0.2) : base(nameof(MobileNetV2))
    {
        const long RoundNearest = 8;
        var inputChannel = ConvNormActivation.MakeDivisible(32 * widthMult, RoundNearest);
        var lastChannel = ConvNormActivation.MakeDivisible(1280 * Math.Max(1.0, widthMult), RoundNearest);

        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            ConvNormActivation.Create(3, inputChannel, stride: 2, activation: () => nn.ReLU6(inplace: true)),
        };
        foreach (var (expand, channels, repeats, stride) in InvertedResidualSetting)
        {
            var outputChannel = ConvNormActivation.MakeDivisible(channels * widthMult, RoundNearest);
            for (var i = 0; i < repeats; i++)
            {
                layers.Add(new InvertedResidual(inputChannel, outputChannel, i == 0 ? stride : 1, expand));
                inputChannel = outputChannel;
            }
        }
        layers.Add(ConvNormActivation.Create(inputChannel, lastChannel, kernelSize: 1, activation: () => nn.ReLU6(inplace: true)));
        features = nn.Sequential(layers);
        classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(lastChannel, numClasses));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = features.call(x);
        x = nn.functional.adaptive_avg_pool2d(x, 1);
        x = torch.flatten(x, 1);
        return classifier.call(x);
    }

    private sealed class InvertedResidual : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv;
        private readonly bool useResConnect;

        public InvertedResidual(long inp, long oup, long stride, long expandRatio) : base(nameof(InvertedResidual))
        {
            var hiddenDim = inp * expandRatio;
            useResConnect = stride == 1 && inp == oup;
            var layers = new List<nn.Module<Tensor, Tensor>>();
            if (expandRatio != 1)
                layers.Add(ConvNormActivation.Create(inp, hiddenDim, kernelSize: 1, activation: () => nn.ReLU6(inplace: true)));   // pw
            layers.Add(ConvNormActivation.Create(hiddenDim, hiddenDim, stride: stride, groups: hiddenDim,
                activation: () => nn.ReLU6(inplace: true)));                                                                       // dw
            layers.Add(nn.Conv2d(hiddenDim, oup, 1, bias: false));                                                                // pw-linear
            layers.Add(nn.BatchNorm2d(oup));
            conv = nn.Sequential(layers);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => useResConnect ? x + conv.call(x) : conv.call(x);
    }
}
