namespace LossLab.Experiments.MetricLearning;

/// <summary>The two-sample Kolmogorov–Smirnov statistic D = sup_x |F_a(x) − F_b(x)| between the empirical distribution
/// functions of two samples (used to compare similarity distributions, e.g. sampled vs all negatives in UNPG, Jung et al.,
/// arXiv:2203.11593). 0 for identical samples, 1 for samples with disjoint ranges.</summary>
public static class KsStatistic
{
    /// <summary>D between samples <paramref name="a"/> and <paramref name="b"/>, each non-empty and finite.</summary>
    /// <exception cref="ArgumentException">An empty sample or a non-finite value.</exception>
    public static double Compute(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0) throw new ArgumentException("a must not be empty.", nameof(a));
        if (b.Count == 0) throw new ArgumentException("b must not be empty.", nameof(b));
        if (a.Any(v => !double.IsFinite(v))) throw new ArgumentException("a must hold finite values.", nameof(a));
        if (b.Any(v => !double.IsFinite(v))) throw new ArgumentException("b must hold finite values.", nameof(b));
        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v) i++;
            while (j < y.Length && y[j] <= v) j++;
            d = Math.Max(d, Math.Abs(i / (double)x.Length - j / (double)y.Length));
        }
        return d;
    }
}
