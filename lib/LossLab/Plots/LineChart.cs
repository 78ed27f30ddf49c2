using Plotly.NET;

namespace LossLab.Plots;

/// <summary>Line charts of several series (training curves, sweeps), with optional log axes.</summary>
public static class LineChart
{
    /// <summary>One line per series, in order, each with its legend entry.</summary>
    /// <param name="series">At least one series.</param>
    /// <param name="title">Chart title, or null for none.</param>
    /// <param name="xTitle">x-axis title.</param>
    /// <param name="yTitle">y-axis title.</param>
    /// <param name="logX">A log-scaled x axis (all x must be positive).</param>
    /// <param name="logY">A log-scaled y axis (all y must be positive).</param>
    /// <param name="markers">Draw a marker at each point as well.</param>
    public static GenericChart Create(IEnumerable<ChartSeries> series, string? title = null, string? xTitle = null, string? yTitle = null,
        bool logX = false, bool logY = false, bool markers = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("series must hold at least one series.", nameof(series));
        var traces = list.Select(s =>
        {
            ChartLayout.CheckLogValues(s.X, logX, "x", s.Name, nameof(series));
            ChartLayout.CheckLogValues(s.Y, logY, "y", s.Name, nameof(series));
            return Plotly.NET.CSharp.Chart.Line<double, double, string>(x: s.X, y: s.Y, Name: s.Name, ShowMarkers: markers);
        });
        return ChartLayout.Apply(Plotly.NET.CSharp.Chart.Combine(traces), title, xTitle, yTitle, logX, logY);
    }

    /// <summary>A line chart of one series.</summary>
    public static GenericChart Create(ChartSeries series, string? title = null, string? xTitle = null, string? yTitle = null,
        bool logX = false, bool logY = false, bool markers = false) =>
        Create([series], title, xTitle, yTitle, logX, logY, markers);
}
