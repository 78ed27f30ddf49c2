using Microsoft.FSharp.Core;
using Plotly.NET;

namespace LossLab.Plots;

/// <summary>Heatmaps of a matrix (confusion matrices, similarity matrices, hyperparameter grids) with axis labels.</summary>
public static class HeatmapChart
{
    /// <summary>
    /// A heatmap of <paramref name="z"/>[row, column]: columns along x (labelled by <paramref name="xLabels"/>), rows along
    /// y (labelled by <paramref name="yLabels"/>). With <paramref name="firstRowOnTop"/> (the default, as matrices are
    /// printed) row 0 is drawn at the top. With <paramref name="showValues"/> each cell also prints its value, formatted
    /// by the d3 format <paramref name="valueFormat"/> (e.g. ".2f"; null prints the value as is).
    /// </summary>
    public static GenericChart Create(double[,] z, IReadOnlyList<string>? xLabels = null, IReadOnlyList<string>? yLabels = null,
        string? title = null, string? xTitle = null, string? yTitle = null, bool firstRowOnTop = true,
        bool showValues = false, string? valueFormat = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        int rows = z.GetLength(0), cols = z.GetLength(1);
        if (rows == 0 || cols == 0) throw new ArgumentException($"z must have at least one row and one column; got {rows}×{cols}.", nameof(z));
        if (xLabels is not null && xLabels.Count != cols)
            throw new ArgumentException($"xLabels must have one label per column: z has {cols} columns, xLabels has {xLabels.Count}.", nameof(xLabels));
        if (yLabels is not null && yLabels.Count != rows)
            throw new ArgumentException($"yLabels must have one label per row: z has {rows} rows, yLabels has {yLabels.Count}.", nameof(yLabels));
        var data = new double[rows][];
        for (int r = 0; r < rows; r++)
        {
            data[r] = new double[cols];
            for (int c = 0; c < cols; c++) data[r][c] = z[r, c];
        }
        var x = xLabels ?? Enumerable.Range(0, cols).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var y = yLabels ?? Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var chart = Plotly.NET.CSharp.Chart.Heatmap<double, string, string, string>(zData: data, X: x.ToArray(), Y: y.ToArray(), ReverseYAxis: firstRowOnTop);
        if (showValues)
        {
            var template = valueFormat is null ? "%{z}" : "%{z:" + valueFormat + "}";
            chart = GenericChart.mapTrace(FSharpFunc<Trace, Trace>.FromConverter(trace =>
            {
                trace.SetProperty("texttemplate", template);
                return trace;
            }), chart);
        }
        if (title is not null) chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: ChartLayout.Maybe(xTitle));
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: ChartLayout.Maybe(yTitle));
    }

    /// <summary>A heatmap of integer counts, e.g. a confusion matrix from <c>ClassificationMetrics.ConfusionMatrix</c>;
    /// each cell prints its count unless <paramref name="showValues"/> is false.</summary>
    public static GenericChart Create(long[,] counts, IReadOnlyList<string>? xLabels = null, IReadOnlyList<string>? yLabels = null,
        string? title = null, string? xTitle = null, string? yTitle = null, bool firstRowOnTop = true, bool showValues = true)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var z = new double[counts.GetLength(0), counts.GetLength(1)];
        for (int r = 0; r < z.GetLength(0); r++)
            for (int c = 0; c < z.GetLength(1); c++) z[r, c] = counts[r, c];
        return Create(z, xLabels, yLabels, title, xTitle, yTitle, firstRowOnTop, showValues);
    }
}
