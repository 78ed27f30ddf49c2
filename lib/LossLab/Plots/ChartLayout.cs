using Plotly.NET;
using Plotly.NET.CSharp;

namespace LossLab.Plots;

/// <summary>Titles and axis types applied to a chart (shared by the chart builders).</summary>
internal static class ChartLayout
{
    public static GenericChart Apply(GenericChart chart, string? title, string? xTitle, string? yTitle,
        bool logX = false, bool logY = false, (double, double)? xRange = null, (double, double)? yRange = null)
    {
        if (title is not null) chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = chart.WithXAxisStyle<double, double, string>(
            TitleText: Maybe(xTitle),
            AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear,
            MinMax: xRange is { } xr ? Tuple.Create(xr.Item1, xr.Item2) : default(Optional<Tuple<double, double>>));
        chart = chart.WithYAxisStyle<double, double, string>(
            TitleText: Maybe(yTitle),
            AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear,
            MinMax: yRange is { } yr ? Tuple.Create(yr.Item1, yr.Item2) : default(Optional<Tuple<double, double>>));
        return chart;
    }

    public static Optional<string> Maybe(string? text) => new(text!, text is not null);

    public static void CheckLogValues(IEnumerable<double> values, bool log, string axis, string seriesName, string paramName)
    {
        if (!log) return;
        foreach (var v in values)
            if (!(v > 0))
                throw new ArgumentException($"a log {axis} axis needs positive values, but series '{seriesName}' holds {v}.", paramName);
    }
}
