using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Bench.HandWritten;

/// <summary>
/// ResNet-18 for 32x32 inputs, in torchvision's style (its <c>BasicBlock</c>, in-place add and ReLU) with the
/// usual CIFAR changes: 3x3 stride-1 stem, no max pool, stages 64/128/256/512, a 1x1 conv + BN projection
/// where the shape changes, global average pool, linear classifier.
/// </summary>
public sealed class CifarResNet18 : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor> layer1;
    private readonly nn.Module<Tensor, Tensor> layer2;
    private readonly nn.Module<Tensor, Tensor> layer3;
    private readonly nn.Module<Tensor, Tensor> layer4;
    private readonly nn.Module<Tensor, Tensor> fc;

    public CifarResNet18(long numClasses = 10) : base(nameof(CifarResNet18))
    {
        conv1 = nn.Conv2d(3, 64, 3, stride: 1, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = nn.ReLU(inplace: true);
        long inPlanes = 64;
        layer1 = MakeLayer(ref inPlanes, 64, stride: 1);
        layer2 = MakeLayer(ref inPlanes, 128, stride: 2);
        layer3 = MakeLayer(ref inPlanes, 256, stride: 2);
        layer4 = MakeLayer(ref inPlanes, 512, stride: 2);
        fc = nn.Linear(512, numClasses);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = relu.call(bn1.call(conv1.call(x)));
        x = layer4.call(layer3.call(layer2.call(layer1.call(x))));
        x = nn.functional.adaptive_avg_pool2d(x, 1);
        return fc.call(torch.flatten(x, 1));
    }

    private static nn.Module<Tensor, Tensor> MakeLayer(ref long inPlanes, long planes, long stride)
    {
        var first = new BasicBlock(inPlanes, planes, stride);
        inPlanes = planes;
        return nn.Sequential(first, new BasicBlock(inPlanes, planes, 1));
    }

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1;
        private readonly nn.Module<Tensor, Tensor> bn1;
        private readonly nn.Module<Tensor, Tensor> relu1;
        private readonly nn.Module<Tensor, Tensor> conv2;
        private readonly nn.Module<Tensor, Tensor> bn2;
        private readonly nn.Module<Tensor, Tensor>? downsample;

        public BasicBlock(long inPlanes, long planes, long stride) : base(nameof(BasicBlock))
        {
            conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(planes);
            relu1 = nn.ReLU(inplace: true);
            conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(planes);
            if (stride != 1 || inPlanes != planes)
                downsample = nn.Sequential(nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false), nn.BatchNorm2d(planes));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = relu1.call(bn1.call(conv1.call(input)));
            x = bn2.call(conv2.call(x));
            var identity = downsample is null ? input : downsample.call(input);
            return x.add_(identity).relu_();
        }
    }
}
