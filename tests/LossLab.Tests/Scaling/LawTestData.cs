using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

/// <summary>Laws, traces and reference formulas (written out in natural parameters, independent of the library's
/// fit-space code) shared by the scaling tests.</summary>
internal static class LawTestData
{
    public static LearningRateTrace Cosine(int steps, double peak = 1e-3, double floor = 1e-4, double warmupArea = 0.05)
    {
        var rates = new double[steps + 1];
        for (int t = 0; t <= steps; t++) rates[t] = floor + 0.5 * (peak - floor) * (1 + Math.Cos(Math.PI * t / steps));
        return new LearningRateTrace(rates, warmupArea);
    }

    public static LearningRateTrace Constant(int steps, double peak = 1e-3, double warmupArea = 0.05) =>
        new(Enumerable.Repeat(peak, steps + 1).ToArray(), warmupArea);

    public static LearningRateTrace StepDecay(int steps, double peak = 1e-3, double warmupArea = 0.05)
    {
        var rates = new double[steps + 1];
        for (int t = 0; t <= steps; t++) rates[t] = t < 0.7 * steps ? peak : t < 0.9 * steps ? 0.3 * peak : 0.09 * peak;
        return new LearningRateTrace(rates, warmupArea);
    }

    /// <summary>The multi-power law by its definition, with explicit sums (no prefix sums).</summary>
    public static double MultiPower(LearningRateTrace tr, int t, double[] p)
    {
        double l0 = p[0], a = p[1], alpha = p[2], b = p[3], c = p[4], beta = p[5], gamma = p[6];
        double s1 = 0;
        for (int tau = 1; tau <= t; tau++) s1 += tr.Rate(tau);
        double ld = 0;
        for (int k = 1; k <= t; k++)
        {
            double sk = 0;
            for (int tau = k; tau <= t; tau++) sk += tr.Rate(tau);
            double x = Math.Pow(tr.Rate(k), -gamma) * sk;
            ld += (tr.Rate(k - 1) - tr.Rate(k)) * (1 - Math.Pow(c * x + 1, -beta));
        }
        return l0 + a * Math.Pow(s1 + tr.WarmupArea, -alpha) - b * ld;
    }

    /// <summary>The annealing law by its definition.</summary>
    public static double Annealing(LearningRateTrace tr, int s, double[] p, double lambda)
    {
        double s1 = tr.WarmupArea, s2 = 0, m = 0;
        for (int i = 1; i <= s; i++)
        {
            s1 += tr.Rate(i);
            m = lambda * m + (tr.Rate(i - 1) - tr.Rate(i));
            s2 += m;
        }
        return p[0] + p[1] * Math.Pow(s1, -p[2]) - p[3] * s2;
    }

    public static double Chinchilla(double n, double d, double[] p) => p[2] + p[0] / Math.Pow(n, p[3]) + p[1] / Math.Pow(d, p[4]);

    public static double Mixture(double n, double d, double[] h, double[] p)
    {
        int k = h.Length;
        double sum = 0;
        for (int j = 0; j < k; j++) if (h[j] > 0) sum += p[5 + j] * Math.Pow(h[j], p[5 + k + j]);
        return p[0] + p[1] / Math.Pow(n, p[2]) + p[3] / Math.Pow(d, p[4]) + 1 / sum;
    }

    /// <summary>Central finite differences of f in float64.</summary>
    public static double[] NumericGradient(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        var g = new double[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            var xp = (double[])x.Clone(); var xm = (double[])x.Clone();
            double step = h * Math.Max(1, Math.Abs(x[j]));
            xp[j] += step; xm[j] -= step;
            g[j] = (f(xp) - f(xm)) / (2 * step);
        }
        return g;
    }

    /// <summary>Log-normal multiplicative noise, seeded.</summary>
    public static double Noisy(double value, Random rng, double sigma)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return value * Math.Exp(sigma * z);
    }
}
