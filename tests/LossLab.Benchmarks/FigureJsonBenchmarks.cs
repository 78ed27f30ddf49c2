using BenchmarkDotNet.Attributes;
using LossLab.Plots;
using Plotly.NET;

namespace LossLab.Benchmarks;

/// <summary>
/// A chart's figure JSON, as every displayed chart is written into a notebook: Plotly.NET's
/// <c>GenericChart.toFigureJson</c> against <see cref="FigureJson.Of"/> (the same text, objects compared by reference in
/// Newtonsoft's loop search). The chart is a typical notebook line chart: <see cref="Points"/> points in each of two
/// series, titles, markers, with Plotly.NET's default template.
///   dotnet run -c Release --project tests/LossLab.Benchmarks -- --filter '*FigureJson*'
/// </summary>
[MemoryDiagnoser]
public class FigureJsonBenchmarks
{
    GenericChart chart = null!;

    [Params(10, 150, 3000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Chart()
    {
        var xs = Enumerable.Range(1, Points).Select(i => (double)i).ToArray();
        chart = LineChart.Create([new ChartSeries("train", xs, xs.Select(x => 1 / x).ToArray()), new ChartSeries("test", xs, xs.Select(x => 2 / x).ToArray())],
            title: "loss", xTitle: "step", yTitle: "loss", logX: true, markers: true);
        if (GenericChart.toFigureJson(chart) != FigureJson.Of(chart)) throw new InvalidOperationException("the two texts differ");
    }

    /// <summary>Plotly.NET's own serializer.</summary>
    [Benchmark(Baseline = true)]
    public string PlotlyNet() => GenericChart.toFigureJson(chart);

    /// <summary>LossLab's.</summary>
    [Benchmark]
    public string LossLab() => FigureJson.Of(chart);
}
