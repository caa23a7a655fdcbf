using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NetDsl.Examples.Tests;

/// <summary>A hand-written two-convolution classifier for 28x28 digits, small enough to train in seconds.</summary>
public sealed class TinyCnn : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> head;

    public TinyCnn(int width = 8) : base(nameof(TinyCnn))
    {
        conv1 = Conv2d(1, width, 3, padding: 1);
        conv2 = Conv2d(width, 2 * width, 3, padding: 1);
        head = Linear(2 * width * 7 * 7, 10);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = functional.max_pool2d(functional.relu(conv1.call(input)), 2);
        x = functional.max_pool2d(functional.relu(conv2.call(x)), 2);
        return head.call(x.flatten(1));
    }

    /// <summary>Same initial weights for the same seed.</summary>
    public static TinyCnn Create(int seed, int width = 8)
    {
        random.manual_seed(seed);
        return new TinyCnn(width);
    }
}

/// <summary>Like <see cref="TinyCnn"/> with one more layer, so checkpoints of either do not fit the other.</summary>
public sealed class TinyCnnWithExtraLayer : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> hidden;
    private readonly Module<Tensor, Tensor> head;

    public TinyCnnWithExtraLayer() : base(nameof(TinyCnnWithExtraLayer))
    {
        conv1 = Conv2d(1, 8, 3, padding: 1);
        conv2 = Conv2d(8, 12, 3, padding: 1);
        hidden = Linear(12 * 7 * 7, 32);
        head = Linear(32, 10);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = functional.max_pool2d(functional.relu(conv1.call(input)), 2);
        x = functional.max_pool2d(functional.relu(conv2.call(x)), 2);
        return head.call(functional.relu(hidden.call(x.flatten(1))));
    }
}
