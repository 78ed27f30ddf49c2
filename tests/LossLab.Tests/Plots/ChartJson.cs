using System.Text.Json;
using Plotly.NET;

namespace LossLab.Tests.Plots;

/// <summary>Reads a chart's plotly JSON (data and layout) for assertions.</summary>
internal static class ChartJson
{
    public static JsonElement Of(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement.Clone();

    public static JsonElement Trace(this JsonElement figure, int i) => figure.GetProperty("data")[i];

    public static JsonElement Layout(this JsonElement figure) => figure.GetProperty("layout");

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static string[] Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string? Text(this JsonElement obj, params string[] path)
    {
        var e = obj;
        foreach (var p in path)
            if (!e.TryGetProperty(p, out e)) return null;
        return e.GetString();
    }
}
