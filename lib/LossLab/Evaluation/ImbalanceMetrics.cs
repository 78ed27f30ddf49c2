namespace LossLab.Evaluation;

/// <summary>
/// Diagnostics of long-tailed classifiers. False Head Rate (Li, Han, Li, Fu, Zhang, 2023, arXiv:2303.06075): the fraction
/// of test samples of tail classes predicted as some head class, FHR = |{i: y_i ∈ tail, ŷ_i ∈ head}| / |{i: y_i ∈ tail}|.
/// Class-size correlation: Spearman's ρ between a per-class quantity (classifier-row norm, per-class accuracy, logit
/// offset) and the training class counts, with mid-ranks for ties (Kang et al., ICLR 2020, arXiv:1910.09217, observed
/// the classifier norms of plain CE growing with class size).
/// </summary>
/// <remarks>Which classes count as head is the caller's choice (e.g. the many-shot classes, more than 100 training samples).</remarks>
public static class ImbalanceMetrics
{
    /// <summary>False Head Rate; 0 when no test sample belongs to a tail class.</summary>
    /// <param name="predictions">ŷ, predicted classes.</param>
    /// <param name="labels">y, true classes.</param>
    /// <param name="isHead">Per class: true for head classes, false for tail classes.</param>
    public static double FalseHeadRate(IReadOnlyList<long> predictions, IReadOnlyList<long> labels, IReadOnlyList<bool> isHead)
    {
        ImbalanceInputs.SameLength(labels, predictions, nameof(labels), nameof(predictions));
        ArgumentNullException.ThrowIfNull(isHead);
        ImbalanceInputs.CheckRange(labels, isHead.Count, nameof(labels));
        ImbalanceInputs.CheckRange(predictions, isHead.Count, nameof(predictions));
        long tail = 0, falseHead = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            if (isHead[(int)labels[i]]) continue;
            tail++;
            if (isHead[(int)predictions[i]]) falseHead++;
        }
        return tail == 0 ? 0 : (double)falseHead / tail;
    }

    /// <summary>Spearman's rank correlation between <paramref name="perClassValues"/> and <paramref name="classCounts"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two classes, or either input constant (ρ undefined).</exception>
    public static double ClassSizeCorrelation(IReadOnlyList<double> perClassValues, IReadOnlyList<long> classCounts)
    {
        ImbalanceInputs.SameLength(perClassValues, classCounts, nameof(perClassValues), nameof(classCounts));
        if (perClassValues.Count < 2) throw new ArgumentException("at least two classes are needed.", nameof(perClassValues));
        if (perClassValues.Any(v => !double.IsFinite(v))) throw new ArgumentException("perClassValues must be finite.", nameof(perClassValues));
        var a = MidRanks.Of(perClassValues);
        var b = MidRanks.Of(classCounts.Select(n => (double)n).ToArray());
        double ma = a.Average(), mb = b.Average();
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < a.Length; i++) { cov += (a[i] - ma) * (b[i] - mb); va += (a[i] - ma) * (a[i] - ma); vb += (b[i] - mb) * (b[i] - mb); }
        if (va == 0) throw new ArgumentException("perClassValues are constant; the correlation is undefined.", nameof(perClassValues));
        if (vb == 0) throw new ArgumentException("classCounts are constant; the correlation is undefined.", nameof(classCounts));
        return cov / Math.Sqrt(va * vb);
    }
}
