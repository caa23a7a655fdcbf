using TorchSharp;
using static TorchSharp.torch;

// Several tests seed TorchSharp's global generator (torch.manual_seed) and count on the draws that
// follow; test classes running side by side would take draws from the same generator.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace NetDsl.Runtime.Tests;

/// <summary>Assertions and probes shared by the block tests.</summary>
internal static class TestSupport
{
    /// <summary>The values of a tensor, flattened in row-major order.</summary>
    public static float[] Values(this Tensor tensor) => tensor.data<float>().ToArray();

    /// <summary>Asserts that <paramref name="actual"/> has the shape and exactly the values of <paramref name="expected"/>.</summary>
    public static void ShouldEqualExactly(this Tensor actual, Tensor expected)
    {
        actual.shape.ShouldBe(expected.shape);
        actual.equal(expected).all().item<bool>().ShouldBeTrue("the values differ");
    }

    /// <summary>The total number of parameter values of a module and its sub-modules.</summary>
    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());

    /// <summary>The names of a module's direct sub-modules, in registration order.</summary>
    public static string[] ChildNames(this nn.Module module) => module.named_children().Select(c => c.name).ToArray();

    /// <summary>
    /// Runs <c>module(input).sum().backward()</c> in training mode and asserts that every parameter got
    /// a gradient that is not all zero.
    /// </summary>
    public static void ShouldPassGradientsToEveryParameter(this nn.Module<Tensor, Tensor> module, Tensor input)
    {
        module.train();
        module.zero_grad();
        module.call(input).sum().backward();
        var parameters = module.named_parameters().ToList();
        parameters.ShouldNotBeEmpty();
        foreach (var (name, parameter) in parameters)
        {
            parameter.grad.ShouldNotBeNull($"{name} has no gradient");
            parameter.grad.abs().sum().item<float>().ShouldBeGreaterThan(0f, $"{name}'s gradient is all zero");
        }
    }

    /// <summary>Overwrites a parameter with the given values (row-major), for hand-checked outputs.</summary>
    public static void Fill(this TorchSharp.Modules.Parameter parameter, params float[] values)
    {
        using var _ = no_grad();
        using var source = tensor(values).view(parameter.shape);
        parameter.copy_(source);
    }
}

/// <summary>
/// A path that hands back its own input object rather than a new tensor (as a hand-written module may).
/// Blocks must not dispose it, since it is their caller's input.
/// </summary>
internal sealed class ReturnsInput : nn.Module<Tensor, Tensor>
{
    public ReturnsInput() : base(nameof(ReturnsInput)) { }

    public override Tensor forward(Tensor input) => input;
}
