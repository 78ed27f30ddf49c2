using Plotly.NET;
using Plotly.NET.TraceObjects;

namespace LossLab.Plots;

/// <summary>Vertical bar charts over categories, grouped when there are several series, with optional error bars.</summary>
public static class BarChart
{
    /// <summary>
    /// One group of bars per category; each series adds one bar per category, with ± error bars when its
    /// <see cref="BarSeries.Errors"/> are set (for example a standard deviation over seeds).
    /// </summary>
    /// <param name="categories">Category labels along x.</param>
    /// <param name="series">At least one series, each with one value per category.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">x-axis title.</param>
    /// <param name="yTitle">y-axis title.</param>
    /// <param name="logY">A log-scaled value axis (values must be positive).</param>
    public static GenericChart Create(IReadOnlyList<string> categories, IEnumerable<BarSeries> series,
        string? title = null, string? xTitle = null, string? yTitle = null, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var list = series.ToList();
        if (list.Count == 0) throw new ArgumentException("series must hold at least one series.", nameof(series));
        var traces = new List<GenericChart>();
        foreach (var s in list)
        {
            if (s.Values.Count != categories.Count)
                throw new ArgumentException($"bar series '{s.Name}' has {s.Values.Count} values for {categories.Count} categories.", nameof(series));
            ChartLayout.CheckLogValues(s.Values, logY, "y", s.Name, nameof(series));
            var bars = Plotly.NET.CSharp.Chart.Column<double, string, string>(values: s.Values, Keys: categories.ToArray(), Name: s.Name);
            if (s.Errors is not null)
            {
                var error = new Error();
                error.SetProperty("type", "data");
                error.SetProperty("symmetric", true);
                error.SetProperty("array", s.Errors.ToArray());
                error.SetProperty("visible", true);
                bars = Plotly.NET.Chart.withYError(error).Invoke(bars);
            }
            traces.Add(bars);
        }
        var chart = Plotly.NET.CSharp.Chart.Combine(traces);
        if (title is not null) chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: ChartLayout.Maybe(xTitle));
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: ChartLayout.Maybe(yTitle),
            AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
    }

    /// <summary>A single series of bars.</summary>
    public static GenericChart Create(IReadOnlyList<string> categories, BarSeries series,
        string? title = null, string? xTitle = null, string? yTitle = null, bool logY = false) =>
        Create(categories, [series], title, xTitle, yTitle, logY);
}
