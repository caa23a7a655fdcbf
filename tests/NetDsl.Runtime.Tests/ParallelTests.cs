using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Runtime.Tests;

public class ParallelTests
{
    [Fact]
    public void AddOfTwoIdentitiesDoublesTheInput()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Add, nn.Identity(), nn.Identity());
        var input = tensor(new float[] { 1, -2, 3, 4 }).view(1, 4, 1, 1);

        parallel.call(input).Values().ShouldBe(new[] { 2f, -4f, 6f, 8f });
    }

    [Fact]
    public void ConcatJoinsPathOutputsOnChannelsInPathOrder()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Concat, nn.Identity(), new CReLU());
        var input = tensor(new float[] { 1, -2 }).view(1, 2, 1, 1);

        var output = parallel.call(input);

        output.shape.ShouldBe(new long[] { 1, 6, 1, 1 });
        output.Values().ShouldBe(new[] { 1f, -2f, 1f, 0f, 0f, 2f });
    }

    [Fact]
    public void EveryPathSeesTheWholeInput()
    {
        using var scope = NewDisposeScope();
        // Multi-path module: three paths of 1, 2 and 3 convolutions, each producing out / paths channels.
        using var parallel = new Parallel(ParallelMerge.Concat,
            nn.Conv2d(12, 4, 3, padding: 1),
            nn.Sequential(nn.Conv2d(12, 4, 3, padding: 1), nn.Conv2d(4, 4, 3, padding: 1)),
            nn.Sequential(nn.Conv2d(12, 4, 3, padding: 1), nn.Conv2d(4, 4, 3, padding: 1), nn.Conv2d(4, 4, 3, padding: 1)));

        parallel.call(randn(2, 12, 8, 8)).shape.ShouldBe(new long[] { 2, 12, 8, 8 });
        parallel.PathCount.ShouldBe(3);
        parallel.Merge.ShouldBe(ParallelMerge.Concat);
    }

    [Fact]
    public void RegistersPathsAsPath1Path2()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Add, nn.Conv2d(3, 5, 1), nn.Conv2d(3, 5, 1, bias: false));
        parallel.ChildNames().ShouldBe(new[] { "path1", "path2" });
        parallel.state_dict().Keys.ShouldBe(new[] { "path1.weight", "path1.bias", "path2.weight" });
    }

    [Fact]
    public void LabelledPathsAreRegisteredUnderTheirLabelsAndUnlabelledOnesByPosition()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Concat,
            new (string?, nn.Module<Tensor, Tensor>)[] { ("wide", nn.Conv2d(3, 5, 1)), (null, nn.Conv2d(3, 2, 1, bias: false)) });

        parallel.ChildNames().ShouldBe(new[] { "wide", "path2" });
        parallel.PathNames.ShouldBe(new[] { "wide", "path2" });
        parallel.state_dict().Keys.ShouldBe(new[] { "wide.weight", "wide.bias", "path2.weight" });
        parallel.call(randn(1, 3, 4, 4)).shape.ShouldBe(new long[] { 1, 7, 4, 4 });
    }

    [Fact]
    public void TwoPathsWithTheSameNameAreRejected()
    {
        using var scope = NewDisposeScope();
        var error = Should.Throw<ArgumentException>(() => new Parallel(ParallelMerge.Add,
            new (string?, nn.Module<Tensor, Tensor>)[] { (null, nn.Identity()), ("path1", nn.Identity()) }));
        error.Message.ShouldContain("two paths named 'path1'");
    }

    [Fact]
    public void GradientsReachEveryPath()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var add = new Parallel(ParallelMerge.Add, nn.Conv2d(3, 5, 3, padding: 1), nn.Conv2d(3, 5, 1));
        add.ShouldPassGradientsToEveryParameter(randn(2, 3, 4, 4));
        using var concat = new Parallel(ParallelMerge.Concat, nn.Conv2d(3, 5, 3, padding: 1), nn.Conv2d(3, 2, 1));
        concat.ShouldPassGradientsToEveryParameter(randn(2, 3, 4, 4));
    }

    [Fact]
    public void AddOfDifferentShapesNamesTheShapes()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Add, nn.Identity(), nn.Conv2d(4, 8, 1));

        var error = Should.Throw<ArgumentException>(() => parallel.call(randn(1, 4, 3, 3)));

        error.Message.ShouldBe("parallel add: every path must give the same shape, but got path1 [1, 4, 3, 3], path2 [1, 8, 3, 3]");
    }

    [Fact]
    public void ConcatOfDifferentSpatialSizesNamesTheShapes()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Concat, nn.Identity(), nn.Conv2d(4, 4, 1, stride: 2));

        var error = Should.Throw<ArgumentException>(() => parallel.call(randn(1, 4, 4, 4)));

        error.Message.ShouldBe("parallel concat: cannot concatenate on channels because the shapes differ outside dimension 1: " +
                               "path1 [1, 4, 4, 4], path2 [1, 4, 2, 2]");
    }

    [Fact]
    public void SinglePathAddReturnsThePathOutput()
    {
        using var scope = NewDisposeScope();
        using var parallel = new Parallel(ParallelMerge.Add, new CReLU());
        var input = tensor(new float[] { 3 }).view(1, 1, 1, 1);
        parallel.call(input).Values().ShouldBe(new[] { 3f, 0f });
    }

    [Fact]
    public void NeverDisposesTheInputEvenWhenAPathReturnsIt()
    {
        using var scope = NewDisposeScope();
        using var add = new Parallel(ParallelMerge.Add, new ReturnsInput(), new ReturnsInput());
        using var concat = new Parallel(ParallelMerge.Concat, new ReturnsInput(), nn.Identity());
        var input = ones(1, 2, 1, 1);

        add.call(input).Values().ShouldBe(new[] { 2f, 2f });
        concat.call(input).Values().ShouldBe(new[] { 1f, 1f, 1f, 1f });

        input.IsInvalid.ShouldBeFalse();
        input.Values().ShouldBe(new[] { 1f, 1f });
    }

    [Fact]
    public void NeedsAtLeastOnePath()
    {
        Should.Throw<ArgumentException>(() => new Parallel(ParallelMerge.Concat))
            .Message.ShouldStartWith("a parallel block needs at least one path");
    }
}
