namespace LossLab.Evaluation;

/// <summary>One reliability bin: its interval (Lower, Upper], the number of samples, their mean confidence and the
/// mean outcome (accuracy, or class frequency for classwise calibration). Means are NaN for an empty bin.</summary>
public sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanConfidence, double MeanOutcome)
{
    /// <summary>|MeanOutcome − MeanConfidence| (0 for an empty bin).</summary>
    public double Gap => Count == 0 ? 0 : Math.Abs(MeanOutcome - MeanConfidence);
}

/// <summary>
/// Equal-width binning of confidences into B bins (b/B, (b+1)/B] (a confidence of exactly 0 joins the first bin), as in
/// Guo et al. (ICML 2017, arXiv:1706.04599), and the bin-based errors: ECE = Σ_b (n_b/N)·|acc_b − conf_b| and
/// MCE = max_b |acc_b − conf_b| over non-empty bins.
/// </summary>
public static class CalibrationBins
{
    /// <summary>The B equal-width bins of <paramref name="confidences"/> in [0, 1] with outcomes in [0, 1].</summary>
    public static CalibrationBin[] EqualWidth(IReadOnlyList<double> confidences, IReadOnlyList<double> outcomes, int bins = 15)
    {
        ImbalanceInputs.SameLength(confidences, outcomes, nameof(confidences), nameof(outcomes));
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be at least 1.");
        var count = new int[bins];
        var confidence = new double[bins];
        var outcome = new double[bins];
        for (int i = 0; i < confidences.Count; i++)
        {
            double c = confidences[i], o = outcomes[i];
            if (!(c >= 0 && c <= 1)) throw new ArgumentOutOfRangeException(nameof(confidences), $"confidences must lie in [0, 1]; got {c} at {i}.");
            if (!(o >= 0 && o <= 1)) throw new ArgumentOutOfRangeException(nameof(outcomes), $"outcomes must lie in [0, 1]; got {o} at {i}.");
            int b = Math.Clamp((int)Math.Ceiling(c * bins) - 1, 0, bins - 1);
            count[b]++;
            confidence[b] += c;
            outcome[b] += o;
        }
        return Enumerable.Range(0, bins).Select(b => new CalibrationBin(
            (double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? double.NaN : confidence[b] / count[b],
            count[b] == 0 ? double.NaN : outcome[b] / count[b])).ToArray();
    }

    /// <summary>Σ_b (n_b/N)·|outcome_b − confidence_b| (0 for no samples).</summary>
    public static double ExpectedError(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => (long)b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * b.Gap) / total;
    }

    /// <summary>max_b |outcome_b − confidence_b| over non-empty bins (0 for no samples).</summary>
    public static double MaximumError(IReadOnlyList<CalibrationBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        return bins.Where(b => b.Count > 0).Select(b => b.Gap).DefaultIfEmpty(0).Max();
    }
}
