using System.Xml.Linq;
using NetDsl.Examples.Training;

namespace NetDsl.Examples.Tests;

public class TrainingPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly EpochMetrics[] History =
    [
        new(1, 0.62, 0.81, 0.21, 0.935, 1e-3, 3.1),
        new(2, 0.15, 0.955, 0.11, 0.967, 7e-4, 3.0),
        new(3, 0.09, 0.973, 0.08, 0.976, 4.9e-4, 3.0),
    ];

    [Fact]
    public void The_plot_is_well_formed_svg_with_two_panels_of_train_and_test_series()
    {
        var svg = XDocument.Parse(TrainingPlot.Render(History, "TinyCnn on digits"));

        svg.Root!.Name.ShouldBe(Svg + "svg");
        svg.Root.Attribute("width")!.Value.ShouldBe("840");
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        texts.ShouldContain("TinyCnn on digits");
        texts.ShouldContain("Loss (cross-entropy)");
        texts.ShouldContain("Accuracy (%)");
        texts.Count(t => t == "epoch").ShouldBe(2);
        texts.Count(t => t == "train").ShouldBe(1); // one legend for both panels
        texts.Count(t => t == "test").ShouldBe(1);
        svg.Descendants(Svg + "polyline").Count().ShouldBe(4);
        svg.Descendants(Svg + "circle").Count().ShouldBe(12);
    }

    [Fact]
    public void Axes_are_labelled_with_round_ticks_covering_the_data()
    {
        var svg = XDocument.Parse(TrainingPlot.Render(History, "t"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

        // Loss 0..0.62 → ticks 0, 0.2, …, 0.8; accuracy 81..100 % → ticks 80, 85, …, 100; epochs 1, 2, 3 in each panel.
        texts.ShouldContain("0.2");
        texts.ShouldContain("0.8");
        texts.ShouldContain("80");
        texts.ShouldContain("100");
        texts.Count(t => t is "1" or "2" or "3").ShouldBe(6);
    }

    [Fact]
    public void Points_are_placed_on_the_axes_scales_with_first_and_last_epoch_at_the_ends()
    {
        var svg = XDocument.Parse(TrainingPlot.Render(History, "t"));
        var trainLoss = svg.Descendants(Svg + "polyline").First().Attribute("points")!.Value.Split(' ');

        // x: 64 + (epoch - 1) / 2 × 332; y: 48 + (0.8 - loss) / 0.8 × 236 on the 0..0.8 loss axis.
        trainLoss.ShouldBe(["64,101.1", "230,239.75", "396,257.45"]);
    }

    [Fact]
    public void A_history_without_test_metrics_draws_only_train_series()
    {
        var history = History.Select(m => m with { TestLoss = null, TestAccuracy = null }).ToArray();

        var svg = XDocument.Parse(TrainingPlot.Render(history, "t"));

        svg.Descendants(Svg + "polyline").Count().ShouldBe(2);
        svg.Descendants(Svg + "text").Count(t => t.Value == "test").ShouldBe(0);
    }

    [Fact]
    public void Titles_are_escaped()
    {
        TrainingPlot.Render(History, "a < b & c").ShouldContain("a &lt; b &amp; c");
    }
}
