using System.Text;
using Plotly.NET;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// Plotly.NET charts as an HTML fragment: a <c>div</c> and a script that draws the figure with <c>window.Plotly</c>.
/// plotly.js is not repeated per chart: a page that already has it (the rendered site includes it once, in its head)
/// draws at once; otherwise, as in VS Code's output view, the first chart loads plotly.js from the CDN once (with any AMD
/// loader hidden meanwhile, so plotly.js sets <c>window.Plotly</c>) and every chart waiting in
/// <c>window.__losslabPlotly.queue</c> is drawn when it arrives. A page that loads plotly.js itself later can set
/// <c>window.__losslabPlotly = {loading: true, queue: []}</c> first and call each queued function with Plotly.
/// </summary>
public static class PlotlyChartFormatter
{
    /// <summary>The plotly.js version Plotly.NET 6 targets (and embeds as a resource).</summary>
    public const string PlotlyJsVersion = "2.28.0";

    /// <summary>The CDN address used when a page has no plotly.js.</summary>
    public static string PlotlyJsCdn { get; set; } = $"https://cdn.plot.ly/plotly-{PlotlyJsVersion}.min.js";

    /// <summary>The chart's HTML fragment.</summary>
    public static string ToHtml(GenericChart chart)
    {
        var figure = LossLab.Plots.FigureJson.Of(chart);
        // The id is derived from the figure, so that the same notebook gives the same output twice; the script draws
        // into the div just before it, which keeps two identical charts on one page apart.
        var id = "plotly-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(figure)))[..12];
        var sb = new StringBuilder();
        sb.Append($"<div id=\"{id}\" class=\"losslab-plotly\"></div>\n");
        sb.Append("<script type=\"text/javascript\">\n(function () {\n");
        sb.Append($"  var figure = {figure};\n");
        sb.Append($"  var target = (document.currentScript && document.currentScript.previousElementSibling) || document.getElementById('{id}');\n");
        sb.Append("  var draw = function (Plotly) { Plotly.newPlot(target, figure.data, figure.layout, {responsive: true}); };\n");
        sb.Append("  if (window.Plotly) { draw(window.Plotly); return; }\n");
        sb.Append("  var p = window.__losslabPlotly = window.__losslabPlotly || { loading: false, queue: [] };\n");
        sb.Append("  p.queue.push(draw);\n");
        sb.Append("  if (p.loading) return;\n");
        sb.Append("  p.loading = true;\n");
        sb.Append("  var amd = window.define; window.define = undefined;\n");
        sb.Append("  var s = document.createElement('script');\n");
        sb.Append($"  s.src = '{PlotlyJsCdn}';\n");
        sb.Append("  s.onload = function () { window.define = amd; p.queue.splice(0).forEach(function (f) { f(window.Plotly); }); };\n");
        sb.Append("  s.onerror = function () { window.define = amd; };\n");
        sb.Append("  document.head.appendChild(s);\n");
        sb.Append("})();\n</script>");
        return sb.ToString();
    }
}
