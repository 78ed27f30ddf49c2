using LossLab.Evaluation;
using Plotly.NET;

namespace LossLab.Plots;

/// <summary>
/// A reliability diagram (Guo et al., ICML 2017, arXiv:1706.04599) from <see cref="Calibration.ReliabilityDiagram(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, int, BinningScheme)"/>:
/// one bar per non-empty bin spanning its confidence range with height = the bin's accuracy, markers at the bins' mean
/// confidence, and the diagonal of perfect calibration.
/// </summary>
public static class ReliabilityDiagramChart
{
    /// <summary>The diagram; the default title states the ECE.</summary>
    public static GenericChart Create(ReliabilityDiagramData data, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bins = data.Bins.Where(b => b.Count > 0).ToList();
        var centres = bins.Select(b => (b.Lower + b.Upper) / 2).ToArray();
        var widths = bins.Select(b => Math.Max(b.Upper - b.Lower, 0.01)).ToArray();
        var accuracy = Plotly.NET.CSharp.Chart.Column<double, double, string>(
            values: bins.Select(b => b.Accuracy).ToArray(), Keys: centres, Name: "Accuracy", MultiWidth: widths, Opacity: 0.75,
            MultiText: bins.Select(b => $"n = {b.Count}").ToArray());
        var confidence = Plotly.NET.CSharp.Chart.Point<double, double, string>(
            x: centres, y: bins.Select(b => b.Confidence).ToArray(), Name: "Mean confidence");
        var diagonal = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [0.0, 1.0], y: [0.0, 1.0], Name: "Perfect calibration");
        var chart = Plotly.NET.CSharp.Chart.Combine([accuracy, confidence, diagonal]);
        title ??= $"Reliability diagram ({(data.Scheme == BinningScheme.EqualWidth ? "equal-width" : "equal-mass")} bins, ECE = {data.ExpectedCalibrationError:0.0000})";
        return ChartLayout.Apply(chart, title, "Confidence", "Accuracy", xRange: (0, 1), yRange: (0, 1));
    }
}
