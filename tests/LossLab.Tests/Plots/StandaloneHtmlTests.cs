using System.Text.RegularExpressions;
using LossLab.Plots;

namespace LossLab.Tests.Plots;

public class StandaloneHtmlTests
{
    [Fact]
    public void PlotlyJs_is_the_embedded_bundle()
    {
        Assert.Equal("2.28.0", PlotlyJs.Version);
        Assert.Equal("Plotly.NET.plotly-2.28.0.min.js", PlotlyJs.ResourceName);
        Assert.True(PlotlyJs.Source.Length > 3_000_000, $"plotly.js is {PlotlyJs.Source.Length} characters");
        Assert.Contains("2.28.0", PlotlyJs.Source[..2000]);
        Assert.StartsWith("<script type=\"text/javascript\">", PlotlyJs.InlineScriptTag);
    }

    [Fact]
    public void Written_page_inlines_plotly_js_and_references_no_CDN()
    {
        using var tmp = new LossLab.Tests.Data.TempFiles();
        var chart = LineChart.Create(new ChartSeries("loss", [1, 2, 3], [0.75, 0.5, 0.25]), title: "curve");
        var path = StandaloneHtml.Write(chart, Path.Combine(tmp.Root, "out", "chart.html"), title: "A <test> page");
        var html = File.ReadAllText(path);
        Assert.Contains(PlotlyJs.Source, html);
        Assert.Equal(html.IndexOf(PlotlyJs.Source, StringComparison.Ordinal), html.LastIndexOf(PlotlyJs.Source, StringComparison.Ordinal));
        Assert.DoesNotMatch(new Regex("<script[^>]*\\ssrc\\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("cdn.plot.ly/plotly", html);
        Assert.Contains("[0.75,0.5,0.25]", html);
        Assert.Contains("<title>A &lt;test&gt; page</title>", html);
        Assert.Single(Regex.Matches(html.Replace(PlotlyJs.Source, ""), "Plotly.newPlot"));   // one chart drawn, plotly.js included once
        // atomic write: only the page is left in the folder; writing again replaces it
        Assert.Equal(new[] { "chart.html" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        StandaloneHtml.Write(LineChart.Create(new ChartSeries("other", [1, 2], [9.5, 8.5])), path);
        var again = File.ReadAllText(path);
        Assert.Contains("[9.5,8.5]", again);
        Assert.DoesNotContain("[0.75,0.5,0.25]", again);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Fragment_holds_the_chart_without_plotly_js()
    {
        var fragment = StandaloneHtml.Fragment(LineChart.Create(new ChartSeries("loss", [1, 2], [3, 4])));
        Assert.Contains("Plotly.newPlot", fragment);
        Assert.True(fragment.Length < 100_000);
        Assert.DoesNotMatch(new Regex("<script[^>]*\\ssrc\\s*=", RegexOptions.IgnoreCase), fragment);
    }
}
