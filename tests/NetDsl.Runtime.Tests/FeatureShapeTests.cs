namespace NetDsl.Runtime.Tests;

public class FeatureShapeTests
{
    [Fact]
    public void FormatsLikeANnInputDeclaration()
    {
        new FeatureShape(3, 224, 224).ToString().ShouldBe("3x224x224");
    }

    [Fact]
    public void CountsElementsAndComparesByValue()
    {
        var shape = new FeatureShape(512, 7, 7);
        shape.Elements.ShouldBe(25_088);
        shape.ShouldBe(new FeatureShape(512, 7, 7));
        (shape with { Channels = 256 }).ShouldNotBe(shape);
    }
}
