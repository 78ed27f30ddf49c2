using Plotly.NET;

namespace LossLab.Plots;

/// <summary>Scatter plots of measured points, with optional analytic overlay lines (a fitted law, a closed form); build
/// overlays with <see cref="ChartSeries.FromFunction"/>.</summary>
public static class ScatterChart
{
    /// <summary>Markers for each series of <paramref name="points"/>, then a line for each overlay.</summary>
    public static GenericChart Create(IEnumerable<ChartSeries> points, IEnumerable<ChartSeries>? overlays = null,
        string? title = null, string? xTitle = null, string? yTitle = null, bool logX = false, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(points);
        var pointList = points.ToList();
        var overlayList = overlays?.ToList() ?? [];
        if (pointList.Count == 0) throw new ArgumentException("points must hold at least one series.", nameof(points));
        var traces = new List<GenericChart>();
        foreach (var s in pointList)
        {
            ChartLayout.CheckLogValues(s.X, logX, "x", s.Name, nameof(points));
            ChartLayout.CheckLogValues(s.Y, logY, "y", s.Name, nameof(points));
            traces.Add(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: s.X, y: s.Y, Name: s.Name));
        }
        foreach (var s in overlayList)
        {
            ChartLayout.CheckLogValues(s.X, logX, "x", s.Name, nameof(overlays));
            ChartLayout.CheckLogValues(s.Y, logY, "y", s.Name, nameof(overlays));
            traces.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(x: s.X, y: s.Y, Name: s.Name));
        }
        return ChartLayout.Apply(Plotly.NET.CSharp.Chart.Combine(traces), title, xTitle, yTitle, logX, logY);
    }

    /// <summary>A scatter plot of one series with optional overlays.</summary>
    public static GenericChart Create(ChartSeries points, IEnumerable<ChartSeries>? overlays = null,
        string? title = null, string? xTitle = null, string? yTitle = null, bool logX = false, bool logY = false) =>
        Create([points], overlays, title, xTitle, yTitle, logX, logY);
}
