using LossLab.Evaluation;
using LossLab.Plots;

namespace LossLab.Tests.Plots;

public class ChartBuilderTests
{
    [Fact]
    public void Line_chart_carries_every_series_titles_and_log_axes()
    {
        var chart = LineChart.Create(
            [new ChartSeries("train", [1, 10, 100], [2.0, 1.0, 0.5]), new ChartSeries("test", [1, 10, 100], [2.5, 1.5, 1.2])],
            title: "Loss", xTitle: "step", yTitle: "loss", logX: true, logY: true);
        var fig = ChartJson.Of(chart);
        Assert.Equal(2, fig.GetProperty("data").GetArrayLength());
        Assert.Equal("train", fig.Trace(0).Text("name"));
        Assert.Equal("lines", fig.Trace(0).Text("mode"));
        Assert.Equal(new[] { 1.0, 10, 100 }, fig.Trace(0).GetProperty("x").Doubles());
        Assert.Equal(new[] { 2.5, 1.5, 1.2 }, fig.Trace(1).GetProperty("y").Doubles());
        Assert.Equal("log", fig.Layout().Text("xaxis", "type"));
        Assert.Equal("log", fig.Layout().Text("yaxis", "type"));
        Assert.Equal("step", fig.Layout().Text("xaxis", "title", "text"));
        Assert.Equal("loss", fig.Layout().Text("yaxis", "title", "text"));
        Assert.Equal("Loss", fig.Layout().Text("title", "text"));
    }

    [Fact]
    public void Linear_axes_without_titles_by_default()
    {
        var fig = ChartJson.Of(LineChart.Create(ChartSeries.FromValues("acc", [0.1, 0.5, 0.9]), markers: true));
        Assert.Equal("linear", fig.Layout().Text("xaxis", "type"));
        Assert.Equal(new[] { 0.0, 1, 2 }, fig.Trace(0).GetProperty("x").Doubles());
        Assert.Equal("lines+markers", fig.Trace(0).Text("mode"));
        Assert.Null(fig.Layout().Text("title", "text"));
        Assert.Null(fig.Layout().Text("xaxis", "title", "text"));
    }

    [Fact]
    public void Log_axes_reject_non_positive_values()
    {
        var ex = Assert.Throws<ArgumentException>(() => LineChart.Create([new ChartSeries("s", [0, 1], [1, 2])], logX: true));
        Assert.Equal("series", ex.ParamName);
        Assert.Contains("series 's' holds 0", ex.Message);
        Assert.Throws<ArgumentException>(() => ScatterChart.Create(new ChartSeries("p", [1, 2], [-1, 2]), logY: true));
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => new ChartSeries("bad", [1, 2], [1])).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => LineChart.Create(Array.Empty<ChartSeries>())).ParamName);
    }

    [Fact]
    public void Bars_carry_values_categories_and_error_arrays()
    {
        var chart = BarChart.Create(["CE", "Focal", "LDAM"],
            [new BarSeries("accuracy", [0.70, 0.72, 0.77], [0.01, 0.02, 0.015]), new BarSeries("balanced", [0.6, 0.65, 0.7])],
            title: "CIFAR-10-LT", yTitle: "accuracy");
        var fig = ChartJson.Of(chart);
        var first = fig.Trace(0);
        Assert.Equal("bar", first.Text("type"));
        Assert.Equal(new[] { "CE", "Focal", "LDAM" }, first.GetProperty("x").Strings());
        Assert.Equal(new[] { 0.70, 0.72, 0.77 }, first.GetProperty("y").Doubles());
        Assert.Equal("data", first.Text("error_y", "type"));
        Assert.Equal(new[] { 0.01, 0.02, 0.015 }, first.GetProperty("error_y").GetProperty("array").Doubles());
        Assert.False(fig.Trace(1).TryGetProperty("error_y", out _));
        Assert.Equal("accuracy", fig.Layout().Text("yaxis", "title", "text"));
        Assert.Equal("series", Assert.Throws<ArgumentException>(() => BarChart.Create(["a"], new BarSeries("b", [1, 2]))).ParamName);
        Assert.Equal("errors", Assert.Throws<ArgumentOutOfRangeException>(() => new BarSeries("b", [1.0], [-0.1])).ParamName);
    }

    [Fact]
    public void Scatter_draws_points_then_analytic_overlays()
    {
        var overlay = ChartSeries.FromFunction("x²", x => x * x, 0, 2, points: 5);
        Assert.Equal(new[] { 0, 0.5, 1, 1.5, 2 }, overlay.X);
        Assert.Equal(new[] { 0, 0.25, 1, 2.25, 4 }, overlay.Y);
        var fig = ChartJson.Of(ScatterChart.Create(new ChartSeries("measured", [0.5, 1, 1.5], [0.3, 1.1, 2.2]), [overlay], xTitle: "x"));
        Assert.Equal("markers", fig.Trace(0).Text("mode"));
        Assert.Equal(new[] { 0.3, 1.1, 2.2 }, fig.Trace(0).GetProperty("y").Doubles());
        Assert.Equal("lines", fig.Trace(1).Text("mode"));
        Assert.Equal("x²", fig.Trace(1).Text("name"));
        Assert.Equal(new[] { 0, 0.25, 1, 2.25, 4 }, fig.Trace(1).GetProperty("y").Doubles());
    }

    [Fact]
    public void Log_spaced_overlays_are_geometric()
    {
        var s = ChartSeries.FromFunction("f", x => 1 / x, 1, 100, points: 3, logSpaced: true);
        Assert.Equal(1.0, s.X[0], 12);
        Assert.Equal(10.0, s.X[1], 12);
        Assert.Equal(100.0, s.X[2], 12);
        Assert.Equal(0.1, s.Y[1], 12);
        Assert.Equal("from", Assert.Throws<ArgumentOutOfRangeException>(() => ChartSeries.FromFunction("f", x => x, 0, 1, logSpaced: true)).ParamName);
    }

    [Fact]
    public void Heatmap_carries_the_matrix_and_axis_labels()
    {
        var chart = HeatmapChart.Create(new long[,] { { 5, 1 }, { 2, 7 } }, ["pred 0", "pred 1"], ["true 0", "true 1"],
            title: "Confusion", xTitle: "predicted", yTitle: "true");
        var fig = ChartJson.Of(chart);
        var trace = fig.Trace(0);
        Assert.Equal("heatmap", trace.Text("type"));
        var z = trace.GetProperty("z").EnumerateArray().Select(r => r.Doubles()).ToArray();
        Assert.Equal(new[] { 5.0, 1 }, z[0]);
        Assert.Equal(new[] { 2.0, 7 }, z[1]);
        Assert.Equal(new[] { "pred 0", "pred 1" }, trace.GetProperty("x").Strings());
        Assert.Equal(new[] { "true 0", "true 1" }, trace.GetProperty("y").Strings());
        Assert.Equal("reversed", fig.Layout().Text("yaxis", "autorange"));
        Assert.Equal("predicted", fig.Layout().Text("xaxis", "title", "text"));
        Assert.Equal("%{z}", trace.Text("texttemplate"));   // counts are printed in the cells
        var plain = ChartJson.Of(HeatmapChart.Create(new double[,] { { 0.25 } })).Trace(0);
        Assert.Null(plain.Text("texttemplate"));
        Assert.Equal(new[] { "0" }, plain.GetProperty("x").Strings());
        var formatted = ChartJson.Of(HeatmapChart.Create(new double[,] { { 0.25 } }, showValues: true, valueFormat: ".2f")).Trace(0);
        Assert.Equal("%{z:.2f}", formatted.Text("texttemplate"));
        Assert.Equal("xLabels", Assert.Throws<ArgumentException>(() => HeatmapChart.Create(new double[2, 3], ["a"])).ParamName);
    }

    [Fact]
    public void Reliability_diagram_plots_accuracy_bars_confidence_markers_and_the_diagonal()
    {
        double[] conf = [0.9, 0.95, 0.7, 0.65, 0.3, 0.5];
        bool[] right = [true, false, true, true, false, true];
        var data = Calibration.ReliabilityDiagram(conf, right, 5);
        var fig = ChartJson.Of(ReliabilityDiagramChart.Create(data));
        // non-empty bins (0.2, 0.4], (0.4, 0.6], (0.6, 0.8], (0.8, 1]: centres 0.3, 0.5, 0.7, 0.9
        var bars = fig.Trace(0);
        Assert.Equal("bar", bars.Text("type"));
        Assert.Equal(new[] { 0.3, 0.5, 0.7, 0.9 }, bars.GetProperty("x").Doubles().Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.0, 1, 1, 0.5 }, bars.GetProperty("y").Doubles());
        Assert.Equal(new[] { 0.3, 0.5, 0.675, 0.925 }, fig.Trace(1).GetProperty("y").Doubles().Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.0, 1 }, fig.Trace(2).GetProperty("y").Doubles());
        Assert.Contains("ECE = 0.3833", fig.Layout().Text("title", "text"));
        Assert.Equal("Confidence", fig.Layout().Text("xaxis", "title", "text"));
    }
}
