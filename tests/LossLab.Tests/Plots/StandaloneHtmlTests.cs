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
        // plotly.js inlined exactly once; the rest of the page loads no script from anywhere
        var rest = html.Replace(PlotlyJs.Source, "", StringComparison.Ordinal);
        Assert.Equal(PlotlyJs.Source.Length, html.Length - rest.Length);
        Assert.DoesNotMatch(new Regex("<script[^>]*\\ssrc\\s*=", RegexOptions.IgnoreCase), rest);
        Assert.Equal(-1, html.IndexOf("cdn.plot.ly/plotly", StringComparison.Ordinal));
        Assert.Contains("[0.75,0.5,0.25]", rest, StringComparison.Ordinal);
        Assert.Contains("<title>A &lt;test&gt; page</title>", rest, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(rest, "Plotly.newPlot"));   // one chart drawn
        // atomic write: only the page is left in the folder; writing again replaces it
        Assert.Equal(new[] { "chart.html" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        StandaloneHtml.Write(LineChart.Create(new ChartSeries("other", [1, 2], [9.5, 8.5])), path);
        var again = File.ReadAllText(path).Replace(PlotlyJs.Source, "", StringComparison.Ordinal);
        Assert.Contains("[9.5,8.5]", again, StringComparison.Ordinal);
        Assert.DoesNotContain("[0.75,0.5,0.25]", again, StringComparison.Ordinal);
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
