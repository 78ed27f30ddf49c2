using LossLab.Evaluation;
using LossLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// A model's calibration on a test set before and after temperature scaling fitted on held-out logits (Guo et al. 2017,
/// arXiv:1706.04599): accuracy, NLL, equal-width ECE, equal-mass (adaptive) ECE and classwise ECE (Nixon et al. 2019,
/// arXiv:1904.01685), the over-/under-confident split of the ECE, the ECE at several bin counts (Wang et al. 2024,
/// arXiv:2308.11838) and the reliability diagrams, all from <see cref="LossLab.Evaluation"/>.
/// </summary>
public sealed record CalibrationReport(double Accuracy, double Nll, double Ece, double AdaptiveEce, double ClasswiseEce, double Over, double Under,
    double Temperature, double EceScaled, double AdaptiveEceScaled, double NllScaled, double[] EceByBins, double[] EceScaledByBins,
    ReliabilityDiagramData Diagram, ReliabilityDiagramData DiagramScaled)
{
    /// <summary>The report of <paramref name="testLogits"/> on <paramref name="testLabels"/> with <paramref name="bins"/>
    /// bins, temperature scaling fitted by NLL on <paramref name="validationLogits"/> and <paramref name="validationLabels"/>,
    /// and the equal-width ECE before and after scaling at each of <paramref name="binCounts"/>.</summary>
    public static CalibrationReport Of(Tensor testLogits, Tensor testLabels, Tensor validationLogits, Tensor validationLabels, int bins,
        IReadOnlyList<int> binCounts)
    {
        ArgumentNullException.ThrowIfNull(testLogits);
        ArgumentNullException.ThrowIfNull(testLabels);
        ArgumentNullException.ThrowIfNull(validationLogits);
        ArgumentNullException.ThrowIfNull(validationLabels);
        ArgumentNullException.ThrowIfNull(binCounts);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be at least 1.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var p = testLogits.softmax(1);
        var diagram = Calibration.ReliabilityDiagram(p, testLabels, bins);
        var (over, under) = ClasswiseCalibration.ConfidenceSplit(diagram);
        var ts = TemperatureScaling.Fit(validationLogits, validationLabels);
        var q = ts.Apply(testLogits).softmax(1);
        double accuracy = testLogits.argmax(1).eq(testLabels).to(ScalarType.Float64).mean().ToDouble();
        return new CalibrationReport(accuracy, Calibration.NegativeLogLikelihood(p, testLabels), diagram.ExpectedCalibrationError,
            Calibration.ExpectedCalibrationError(p, testLabels, bins, BinningScheme.EqualMass), ClasswiseCalibration.ClasswiseEce(p, testLabels, bins),
            over, under, ts.Temperature, Calibration.ExpectedCalibrationError(q, testLabels, bins),
            Calibration.ExpectedCalibrationError(q, testLabels, bins, BinningScheme.EqualMass), Calibration.NegativeLogLikelihood(q, testLabels),
            binCounts.Select(b => Calibration.ExpectedCalibrationError(p, testLabels, b)).ToArray(),
            binCounts.Select(b => Calibration.ExpectedCalibrationError(q, testLabels, b)).ToArray(), diagram,
            Calibration.ReliabilityDiagram(q, testLabels, bins));
    }

    /// <summary>The reference point of a calibration claim: the constant uniform predictor (probability 1/C for every
    /// class) on <paramref name="testLabels"/>, scored with the same metrics. Its arg max is class 0, so its accuracy is
    /// the share of class 0, and its ECE is |accuracy − 1/C| (one bin holds every sample): on a balanced test set it is
    /// (almost) perfectly calibrated and useless.</summary>
    public static (double Accuracy, double Ece) UniformPredictor(Tensor testLabels, int numClasses, int bins)
    {
        ArgumentNullException.ThrowIfNull(testLabels);
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        using var noGrad = no_grad();
        using var uniform = torch.full(testLabels.shape[0], numClasses, 1.0 / numClasses, dtype: ScalarType.Float32);
        using var hit = uniform.argmax(1).eq(testLabels).to(ScalarType.Float64);
        using var mean = hit.mean();
        return (mean.ToDouble(), Calibration.ExpectedCalibrationError(uniform, testLabels, bins));
    }

    /// <summary>How many pairs of methods rank in opposite order under <paramref name="x"/> and <paramref name="y"/> (one
    /// value per method each, e.g. the ECE at 5 and at 50 bins): pairs i &lt; j with sign(xᵢ − xⱼ)·sign(yᵢ − yⱼ) &lt; 0
    /// (ties flip nothing).</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static int RankFlips(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x and y must hold one value per method each; got {x.Count} and {y.Count}.", nameof(y));
        int flips = 0;
        for (int a = 0; a < x.Count; a++)
            for (int b = a + 1; b < x.Count; b++)
                if (Math.Sign(x[a] - x[b]) * Math.Sign(y[a] - y[b]) < 0) flips++;
        return flips;
    }
}
