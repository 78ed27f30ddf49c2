namespace LossLab.Losses;

/// <summary>
/// Per-class loss weights from class counts. The class-balanced weights of Cui et al. (2019, arXiv:1901.05555) use the
/// effective number of samples E_c = (1 − β^{n_c})/(1 − β): w_c ∝ (1 − β)/(1 − β^{n_c}), normalised so Σ_c w_c = C
/// (mean 1), as in LDAM-DRW's code. β = 0 gives all ones; β → 1 tends to inverse frequency.
/// </summary>
public static class ClassBalancedWeights
{
    /// <summary>w_c = C·[(1 − β)/(1 − β^{n_c})] / Σ_k [(1 − β)/(1 − β^{n_k})].</summary>
    /// <param name="classCounts">n_c &gt; 0 per class.</param>
    /// <param name="beta">β in [0, 1) (Cui et al.: 0.9, 0.99, 0.999, 0.9999; LDAM-DRW's DRW: 0.9999).</param>
    public static double[] EffectiveNumber(IReadOnlyList<long> classCounts, double beta)
    {
        var counts = LossReduction.CheckCounts(classCounts);
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must lie in [0, 1).");
        var raw = counts.Select(n => (1 - beta) / (1 - Math.Pow(beta, n))).ToArray();
        return Normalise(raw);
    }

    /// <summary>Inverse-frequency weights w_c ∝ 1/n_c, normalised so Σ_c w_c = C.</summary>
    public static double[] InverseFrequency(IReadOnlyList<long> classCounts)
    {
        var counts = LossReduction.CheckCounts(classCounts);
        return Normalise(counts.Select(n => 1.0 / n).ToArray());
    }

    /// <summary>Effective numbers E_c = (1 − β^{n_c})/(1 − β): 1 at β = 0, tending to n_c as β → 1.</summary>
    public static double[] EffectiveNumbers(IReadOnlyList<long> classCounts, double beta)
    {
        var counts = LossReduction.CheckCounts(classCounts);
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must lie in [0, 1).");
        return counts.Select(n => (1 - Math.Pow(beta, n)) / (1 - beta)).ToArray();
    }

    static double[] Normalise(double[] raw)
    {
        double sum = raw.Sum();
        return raw.Select(v => v / sum * raw.Length).ToArray();
    }
}
