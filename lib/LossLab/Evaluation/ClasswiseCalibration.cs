using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Calibration errors from predicted class probabilities p (N, C) and labels y. Classwise ECE (Kull et al., NeurIPS 2019,
/// arXiv:1910.12656): for each class k, bin p_ik over all samples and compare with the frequency of y_i = k,
/// ECE_k = Σ_b (n_b/N)·|freq_b(y = k) − mean_b(p_k)|, and average over classes. Maximum calibration error
/// (Naeini, Cooper, Hauskrecht, AAAI 2015; Guo et al., 2017, arXiv:1706.04599): max_b |acc_b − conf_b| over the
/// equal-width bins of the top-1 confidence. Bins are those of <see cref="CalibrationBins.EqualWidth"/>.
/// </summary>
public static class ClasswiseCalibration
{
    /// <summary>ECE_k for each class k.</summary>
    /// <param name="probabilities">p, (N, C), rows are probability vectors.</param>
    /// <param name="labels">y, (N), int64 in [0, C).</param>
    /// <param name="bins">B ≥ 1 equal-width bins (15 is common).</param>
    public static double[] PerClassEce(Tensor probabilities, Tensor labels, int bins = 15)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        var result = new double[c];
        for (int k = 0; k < c; k++)
        {
            var confidence = new double[n];
            var outcome = new double[n];
            for (int i = 0; i < n; i++) { confidence[i] = p[i * c + k]; outcome[i] = y[i] == k ? 1 : 0; }
            result[k] = CalibrationBins.ExpectedError(CalibrationBins.EqualWidth(confidence, outcome, bins));
        }
        return result;
    }

    /// <summary>Classwise ECE: the mean of <see cref="PerClassEce"/> over classes.</summary>
    public static double ClasswiseEce(Tensor probabilities, Tensor labels, int bins = 15) => PerClassEce(probabilities, labels, bins).Average();

    /// <summary>The equal-width reliability bins of the top-1 confidence max_k p_ik against correctness.</summary>
    public static CalibrationBin[] TopLabelBins(Tensor probabilities, Tensor labels, int bins = 15)
    {
        var (p, y, n, c) = Read(probabilities, labels);
        var confidence = new double[n];
        var correct = new double[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
            confidence[i] = p[i * c + best];
            correct[i] = best == y[i] ? 1 : 0;
        }
        return CalibrationBins.EqualWidth(confidence, correct, bins);
    }

    /// <summary>Maximum calibration error of the top-1 confidence.</summary>
    public static double MaxCalibrationError(Tensor probabilities, Tensor labels, int bins = 15) =>
        CalibrationBins.MaximumError(TopLabelBins(probabilities, labels, bins));

    static (double[] P, long[] Y, int N, int C) Read(Tensor probabilities, Tensor labels)
    {
        Guard.LogitsAndTargets(probabilities, labels, nameof(probabilities), nameof(labels));
        var p = ImbalanceInputs.Values(probabilities, nameof(probabilities));
        if (p.Any(v => !(v >= 0 && v <= 1)))
            throw new ArgumentOutOfRangeException(nameof(probabilities), "probabilities must lie in [0, 1] (pass softmax outputs, not logits).");
        return (p, ImbalanceInputs.Labels(labels, nameof(labels)), (int)probabilities.shape[0], (int)probabilities.shape[1]);
    }
}
