using MathNet.Numerics.Distributions;
using LossLab.Training;

namespace LossLab.Experiments;

/// <summary>The interval methods a claim's test can use.</summary>
public enum IntervalMethod
{
    /// <summary>Student-t interval of the mean: x̄ ± t_{1−α/2, n−1}·s/√n.</summary>
    StudentT,
    /// <summary>Percentile bootstrap of the mean (10,000 resamples from a fixed seed).</summary>
    Bootstrap,
    /// <summary>Distribution-free interval of the median from order statistics (the sign test's interval); its level is
    /// the exact binomial coverage reached, which is below 95 % for n &lt; 6.</summary>
    SignTest,
}

/// <summary>
/// The estimates and intervals behind effect claims: means (t, bootstrap, sign-test interval), Spearman's rank
/// correlation with a Fisher-z interval using Bonett and Wright's (2000) standard error √((1 + ρ²/2)/(n − 3)), and a
/// least-squares slope with its t interval. Every function checks its input and names what is wrong.
/// </summary>
public static class ClaimStatistics
{
    /// <summary>An estimate with its interval, level, sample size and method name.</summary>
    public sealed record Interval(double Estimate, double Lower, double Upper, double Level, int N, string Method);

    /// <summary>The mean of <paramref name="values"/> with an interval at <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two values, a non-finite value, or a level outside (0, 1).</exception>
    public static Interval Mean(IReadOnlyList<double> values, IntervalMethod method = IntervalMethod.StudentT, double level = 0.95, int seed = 0)
    {
        CheckValues(values, nameof(values), 2);
        CheckLevel(level);
        int n = values.Count;
        double mean = values.Average();
        switch (method)
        {
            case IntervalMethod.StudentT:
            {
                double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
                double half = StudentT.InvCDF(0, 1, n - 1, 0.5 + level / 2) * sd / Math.Sqrt(n);
                return new Interval(mean, mean - half, mean + half, level, n, "t");
            }
            case IntervalMethod.Bootstrap:
            {
                const int resamples = 10_000;
                var rng = Seeds.Random(seed, 0xB007);
                var means = new double[resamples];
                for (int r = 0; r < resamples; r++)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) s += values[rng.Next(n)];
                    means[r] = s / n;
                }
                Array.Sort(means);
                double alpha = 1 - level;
                return new Interval(mean, Quantile(means, alpha / 2), Quantile(means, 1 - alpha / 2), level, n, "percentile bootstrap");
            }
            case IntervalMethod.SignTest:
            {
                var sorted = values.Order().ToArray();
                // Widest symmetric order-statistic interval [x_(k), x_(n+1−k)] whose coverage 1 − 2·P(Bin(n, ½) < k) ≥ level;
                // if even [min, max] falls short, report [min, max] at the coverage it has.
                int k = 1;
                double coverage = 1 - 2 * Binomial.CDF(0.5, n, 0);
                for (int j = 2; j <= n / 2; j++)
                {
                    double c = 1 - 2 * Binomial.CDF(0.5, n, j - 1);
                    if (c < level) break;
                    k = j;
                    coverage = c;
                }
                double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
                return new Interval(median, sorted[k - 1], sorted[n - k], coverage, n, "sign test (median)");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown interval method.");
        }
    }

    /// <summary>The paired differences aᵢ − bᵢ summarised by <see cref="Mean"/>.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, or see <see cref="Mean"/>.</exception>
    public static Interval PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b, IntervalMethod method = IntervalMethod.StudentT, double level = 0.95, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"a and b must pair up seed by seed: {a.Count} values against {b.Count}.", nameof(b));
        CheckValues(a, nameof(a), 2);
        CheckValues(b, nameof(b), 2);
        var r = Mean([.. a.Zip(b, (x, y) => x - y)], method, level, seed);
        return r with { Method = "paired " + r.Method };
    }

    /// <summary>Spearman's ρ between <paramref name="x"/> and <paramref name="y"/> (average ranks for ties) with a
    /// Fisher-z interval, tanh(atanh ρ ± z_{1−α/2}·√((1 + ρ²/2)/(n − 3))) (Bonett and Wright 2000); needs n ≥ 4.</summary>
    public static Interval Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        CheckPoints(x, y, 4, level);
        double rho = Pearson(Evaluation.MidRanks.Of(x), Evaluation.MidRanks.Of(y));
        int n = x.Count;
        double z = Math.Atanh(Math.Clamp(rho, -0.999999999, 0.999999999));
        double half = Normal.InvCDF(0, 1, 0.5 + level / 2) * Math.Sqrt((1 + rho * rho / 2) / (n - 3));
        return new Interval(rho, Math.Tanh(z - half), Math.Tanh(z + half), level, n, "Spearman, Fisher z (Bonett–Wright)");
    }

    /// <summary>The least-squares slope of <paramref name="y"/> on <paramref name="x"/> with its t interval (n − 2 degrees
    /// of freedom); needs n ≥ 3 and x not constant.</summary>
    public static Interval Slope(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        CheckPoints(x, y, 3, level);
        int n = x.Count;
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx));
        if (sxx == 0) throw new ArgumentException("x must not be constant: the slope is undefined.", nameof(x));
        double sxy = 0;
        for (int i = 0; i < n; i++) sxy += (x[i] - mx) * (y[i] - my);
        double slope = sxy / sxx, intercept = my - slope * mx;
        double rss = 0;
        for (int i = 0; i < n; i++) { double e = y[i] - intercept - slope * x[i]; rss += e * e; }
        double se = n > 2 ? Math.Sqrt(rss / (n - 2) / sxx) : double.NaN;
        double half = StudentT.InvCDF(0, 1, n - 2, 0.5 + level / 2) * se;
        return new Interval(slope, slope - half, slope + half, level, n, "least-squares slope, t");
    }

    static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    internal static void CheckValues(IReadOnlyList<double> values, string name, int atLeast)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count < atLeast) throw new ArgumentException($"{name} must hold at least {atLeast} values; got {values.Count}.", name);
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"{name}[{i}] is {values[i]}: every value must be finite.", name);
    }

    static void CheckPoints(IReadOnlyList<double> x, IReadOnlyList<double> y, int atLeast, double level)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x and y must have one value each per point: {x.Count} against {y.Count}.", nameof(y));
        CheckValues(x, nameof(x), atLeast);
        CheckValues(y, nameof(y), atLeast);
        CheckLevel(level);
    }

    static void CheckLevel(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "level must lie in (0, 1).");
    }
}
