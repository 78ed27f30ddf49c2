using Giraffe.ViewEngine;
using Microsoft.FSharp.Collections;
using Newtonsoft.Json;
using Plotly.NET;

namespace LossLab.Plots;

/// <summary>
/// A chart's JSON and HTML as Plotly.NET writes them (<c>GenericChart.toFigureJson</c>, <c>GenericChart.toChartHTML</c>),
/// in milliseconds instead of 150–500 ms per chart.
/// <para>
/// Plotly.NET serializes with <c>ReferenceLoopHandling.Serialize</c>. Newtonsoft.Json still looks for every object it
/// writes among the objects it is inside of, and it compares them with their own <c>Equals</c>; <c>DynamicObj</c>'s
/// <c>Equals</c> hashes both whole object trees, the layout's template included, and that template deep-copies its trace
/// templates each time it is read. With <c>Serialize</c> the outcome of that search is ignored (a loop found is written
/// anyway), so comparing by reference instead writes the same text. When Plotly.NET's settings ask for another loop
/// handling, the outcome would matter, and Plotly.NET's own functions are called.
/// </para>
/// </summary>
public static class FigureJson
{
    static readonly JsonSerializerSettings? Settings = FastSettings(Globals.JSON_CONFIG);

    /// <summary>The figure JSON of <paramref name="chart"/>, <c>{"data": [...], "layout": {...}, "frames": []}</c>: the
    /// text of <c>GenericChart.toFigureJson(chart)</c>.</summary>
    public static string Of(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return Settings is null ? GenericChart.toFigureJson(chart) : JsonConvert.SerializeObject(GenericChart.toFigure(chart), Settings);
    }

    /// <summary>The chart's HTML fragment as <c>GenericChart.toChartHTML(chart)</c> writes it: a <c>div</c> holding the div
    /// the chart is drawn in and the script that draws it (loading plotly.js as the chart's display options say), then the
    /// chart's description. Like Plotly.NET's, each call draws a new random id.</summary>
    public static string ChartHtml(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (Settings is null) return GenericChart.toChartHTML(chart);
        var display = GenericChart.getDisplayOptions(chart);
        var nodes = HTML.CreateChartHTML(
            JsonConvert.SerializeObject(GenericChart.getTraces(chart), Settings),
            JsonConvert.SerializeObject(GenericChart.getLayout(chart), Settings),
            JsonConvert.SerializeObject(GenericChart.getConfig(chart), Settings),
            DisplayOptions.getPlotlyReference(display));
        var div = HtmlElements.div.Invoke(FSharpList<HtmlElements.XmlAttribute>.Empty).Invoke(ListModule.Append(nodes, DisplayOptions.getChartDescription(display)));
        return RenderView.AsString.htmlNode(div);
    }

    /// <summary>Plotly.NET's settings with objects compared by reference in the loop search; null when that could change
    /// the text (a loop handling other than <c>Serialize</c>, or a comparer of Plotly.NET's own).</summary>
    internal static JsonSerializerSettings? FastSettings(JsonSerializerSettings plotly)
    {
        ArgumentNullException.ThrowIfNull(plotly);
        if (plotly.ReferenceLoopHandling != ReferenceLoopHandling.Serialize || plotly.EqualityComparer is not null) return null;
        return new JsonSerializerSettings(plotly) { EqualityComparer = ReferenceEqualityComparer.Instance };
    }
}
