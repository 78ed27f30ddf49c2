using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Calibration errors beyond the top-label ECE of <see cref="Calibration"/>, from predicted class probabilities p (N, C)
/// and labels y, using its bins (<see cref="Calibration.ReliabilityDiagram(ReadOnlySpan{double}, ReadOnlySpan{bool}, int, BinningScheme)"/>).
/// Classwise ECE (Kull et al., NeurIPS 2019, arXiv:1910.12656): for each class k, bin p_ik over all samples and compare with
/// the frequency of y_i = k, ECE_k = Σ_b (n_b/N)·|freq_b(y = k) − mean_b(p_k)|, then average over classes.
/// Maximum calibration error (Naeini, Cooper, Hauskrecht, AAAI 2015; Guo et al., ICML 2017, arXiv:1706.04599):
/// max_b |acc_b − conf_b| over the non-empty bins of the top-1 confidence.
/// </summary>
public static class ClasswiseCalibration
{
    /// <summary>ECE_k for each class k.</summary>
    /// <param name="probabilities">p, (N, C), entries in [0, 1] (softmax or per-class sigmoid outputs).</param>
    /// <param name="labels">y, (N), int64 in [0, C).</param>
    /// <param name="bins">B ≥ 1 (15 is common).</param>
    /// <param name="scheme">Equal-width or equal-mass bins.</param>
    public static double[] PerClassEce(Tensor probabilities, Tensor labels, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        var result = new double[c];
        var confidence = new double[n];
        var isClass = new bool[n];
        for (int k = 0; k < c; k++)
        {
            for (int i = 0; i < n; i++) { confidence[i] = p[i * c + k]; isClass[i] = y[i] == k; }
            result[k] = Calibration.ReliabilityDiagram(confidence, isClass, bins, scheme).ExpectedCalibrationError;
        }
        return result;
    }

    /// <summary>Classwise ECE: the mean of <see cref="PerClassEce"/> over classes.</summary>
    public static double ClasswiseEce(Tensor probabilities, Tensor labels, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth) =>
        PerClassEce(probabilities, labels, bins, scheme).Average();

    /// <summary>Maximum calibration error of the top-1 confidence.</summary>
    public static double MaxCalibrationError(Tensor probabilities, Tensor labels, int bins = 15, BinningScheme scheme = BinningScheme.EqualWidth)
    {
        Read(probabilities, labels);
        return MaxCalibrationError(Calibration.ReliabilityDiagram(probabilities, labels, bins, scheme));
    }

    /// <summary>max_b |acc_b − conf_b| over the non-empty bins of a reliability diagram (0 when all are empty).</summary>
    public static double MaxCalibrationError(ReliabilityDiagramData diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        return diagram.Bins.Where(b => b.Count > 0).Select(b => Math.Abs(b.Accuracy - b.Confidence)).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// The ECE split by the sign of each bin's gap, into over-confidence Over = Σ_b (n_b/N)·max(conf_b − acc_b, 0) and
    /// under-confidence Under = Σ_b (n_b/N)·max(acc_b − conf_b, 0), so Over + Under = ECE (the reading of reliability
    /// diagrams used to compare CE, focal and dual focal losses, e.g. Tao et al., ICML 2023, arXiv:2305.13665).
    /// </summary>
    public static (double Over, double Under) ConfidenceSplit(ReliabilityDiagramData diagram)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        int total = diagram.Count;
        if (total == 0) return (0, 0);
        double over = 0, under = 0;
        foreach (var b in diagram.Bins.Where(b => b.Count > 0))
        {
            double gap = b.Confidence - b.Accuracy;
            if (gap > 0) over += b.Count * gap; else under -= b.Count * gap;
        }
        return (over / total, under / total);
    }

    static (double[] P, long[] Y, int N, int C) Read(Tensor probabilities, Tensor labels)
    {
        Guard.LogitsAndTargets(probabilities, labels, nameof(probabilities), nameof(labels));
        if (probabilities.shape[0] == 0) throw new ArgumentException("probabilities must hold at least one sample.", nameof(probabilities));
        var p = ImbalanceInputs.Values(probabilities, nameof(probabilities));
        if (p.Any(v => !(v >= 0 && v <= 1)))
            throw new ArgumentOutOfRangeException(nameof(probabilities), "probabilities must lie in [0, 1] (pass softmax outputs, not logits).");
        return (p, ImbalanceInputs.Labels(labels, nameof(labels)), (int)probabilities.shape[0], (int)probabilities.shape[1]);
    }
}
