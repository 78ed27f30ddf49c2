using LossLab.Evaluation;
using LossLab.Plots;
using Newtonsoft.Json;
using Plotly.NET;

namespace LossLab.Tests.Plots;

public class FigureJsonTests
{
    static readonly double[] Xs = Enumerable.Range(1, 40).Select(i => i * 0.37).ToArray();

    public static TheoryData<string> Charts() => [.. Builders.Keys];

    static readonly Dictionary<string, Func<GenericChart>> Builders = new()
    {
        ["line, log axes, markers, titles"] = () => LineChart.Create(
            [new ChartSeries("a", Xs, Xs.Select(x => x * x).ToArray()), new ChartSeries("b", Xs, Xs.Select(Math.Sqrt).ToArray())],
            title: "t", xTitle: "x", yTitle: "y", logX: true, logY: true, markers: true),
        ["line with NaN and infinities"] = () => LineChart.Create(
            ChartSeries.FromValues("gaps", [1.0, double.NaN, 3.0, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e-300, 1.5e300])),
        ["bars with errors"] = () => BarChart.Create(["CE", "focal", "LDAM"],
            [new BarSeries("accuracy", [0.7, 0.72, 0.77], [0.01, 0.02, 0.015]), new BarSeries("balanced", [0.6, double.NaN, 0.7])],
            title: "bars", yTitle: "accuracy"),
        ["scatter with overlays"] = () => ScatterChart.Create(new ChartSeries("points", Xs, Xs.Select(x => Math.Sin(x)).ToArray()),
            [new ChartSeries("fit", Xs, Xs.Select(x => 0.1 * x).ToArray())], title: "scatter"),
        ["heatmap of counts"] = () => HeatmapChart.Create(new long[,] { { 5, 1 }, { 2, 7 } }, ["p0", "p1"], ["t0", "t1"], title: "confusion"),
        ["heatmap with formatted values"] = () => HeatmapChart.Create(new double[,] { { 0.25, 0.5 }, { 0.125, 1 } }, showValues: true, valueFormat: ".2f"),
        ["reliability diagram"] = () => ReliabilityDiagramChart.Create(
            Calibration.ReliabilityDiagram([0.9, 0.95, 0.7, 0.65, 0.3, 0.5], [true, false, true, true, false, true], 5), "reliability"),
        ["two charts combined"] = () => Plotly.NET.CSharp.Chart.Combine(
        [
            LineChart.Create(ChartSeries.FromValues("first", [1.0, 2, 3]), title: "combined"),
            BarChart.Create(["a", "b"], new BarSeries("second", [4.0, 5])),
        ]),
        ["Plotly.NET.CSharp line with a colour"] = () => Plotly.NET.CSharp.Chart.Line<double, double, string>(
            x: Xs, y: Xs.Select(x => -x).ToArray(), Name: "csharp", LineColor: Color.fromString("red"), ShowMarkers: true),
    };

    [Theory]
    [MemberData(nameof(Charts))]
    public void Writes_the_text_of_Plotly_NETs_toFigureJson(string chart)
    {
        var c = Builders[chart]();
        Assert.Equal(GenericChart.toFigureJson(c), FigureJson.Of(c));
    }

    [Theory]
    [MemberData(nameof(Charts))]
    public void Writes_the_HTML_of_Plotly_NETs_toChartHTML_but_for_the_random_id(string chart)
    {
        var c = Builders[chart]();
        Assert.Equal(WithoutIds(GenericChart.toChartHTML(c)), WithoutIds(FigureJson.ChartHtml(c)));
        // and with the display options LossLab's standalone pages use (no plotly.js reference), and a chart description
        var noReference = DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference: PlotlyJSReference.NoReference);
        var bare = Plotly.NET.Chart.withDisplayOptions(noReference).Invoke(c);
        Assert.Equal(WithoutIds(GenericChart.toChartHTML(bare)), WithoutIds(FigureJson.ChartHtml(bare)));
        var described = Plotly.NET.Chart.withDescription(
            Microsoft.FSharp.Collections.ListModule.OfSeq([Giraffe.ViewEngine.HtmlElements.str.Invoke("a description")]), c);
        var html = FigureJson.ChartHtml(described);
        Assert.Contains("a description", html);
        Assert.Equal(WithoutIds(GenericChart.toChartHTML(described)), WithoutIds(html));
    }

    /// <summary>Plotly.NET draws a new GUID for every chart's div (and its script's function name, without dashes).</summary>
    static string WithoutIds(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", "ID");

    [Fact]
    public void One_object_in_two_places_is_written_twice_as_Plotly_NET_writes_it()
    {
        // Newtonsoft's loop search finds nothing here either way; the object is written at both places.
        var shared = new Title();
        shared.SetProperty("text", "shared");
        var layout = new Layout();
        var x = new Plotly.NET.LayoutObjects.LinearAxis();
        x.SetProperty("title", shared);
        var y = new Plotly.NET.LayoutObjects.LinearAxis();
        y.SetProperty("title", shared);
        layout.SetProperty("xaxis", x);
        layout.SetProperty("yaxis", y);
        var chart = GenericChart.setLayout(layout, LineChart.Create(ChartSeries.FromValues("s", [1.0, 2])));
        var text = FigureJson.Of(chart);
        Assert.Equal(GenericChart.toFigureJson(chart), text);
        Assert.Equal(2, text.Split("\"title\":{\"text\":\"shared\"}").Length - 1);
    }

    [Fact]
    public void Falls_back_to_Plotly_NET_when_its_settings_make_the_loop_search_matter()
    {
        Assert.Equal(ReferenceLoopHandling.Serialize, Globals.JSON_CONFIG.ReferenceLoopHandling);
        Assert.Null(FigureJson.FastSettings(new JsonSerializerSettings { ReferenceLoopHandling = ReferenceLoopHandling.Ignore }));
        Assert.Null(FigureJson.FastSettings(new JsonSerializerSettings { ReferenceLoopHandling = ReferenceLoopHandling.Error }));
        Assert.Null(FigureJson.FastSettings(new JsonSerializerSettings
        {
            ReferenceLoopHandling = ReferenceLoopHandling.Serialize, EqualityComparer = StringComparer.Ordinal,
        }));
        var fast = FigureJson.FastSettings(new JsonSerializerSettings
        {
            ReferenceLoopHandling = ReferenceLoopHandling.Serialize, Formatting = Formatting.Indented, FloatFormatHandling = FloatFormatHandling.Symbol,
        })!;
        // Every other setting is kept.
        Assert.Equal(Formatting.Indented, fast.Formatting);
        Assert.Equal(FloatFormatHandling.Symbol, fast.FloatFormatHandling);
        Assert.Same(ReferenceEqualityComparer.Instance, fast.EqualityComparer);
        Assert.Throws<ArgumentNullException>(() => FigureJson.Of(null!));
        Assert.Throws<ArgumentNullException>(() => FigureJson.ChartHtml(null!));
    }
}
