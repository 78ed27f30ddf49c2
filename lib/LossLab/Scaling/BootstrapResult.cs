namespace LossLab.Scaling;

/// <summary>Bootstrap resamples of a law fit and the percentile intervals of each parameter (Efron 1979).</summary>
public sealed class BootstrapResult
{
    readonly ParameterInterval[] intervals;

    internal BootstrapResult(ScalingLaw law, double[] estimate, double[][] samples, double[] objectives, double confidence)
    {
        Law = law;
        Samples = samples;
        Objectives = objectives;
        Confidence = confidence;
        double lowerQ = (1 - confidence) / 2, upperQ = 1 - lowerQ;
        intervals = new ParameterInterval[law.ParameterCount];
        for (int j = 0; j < intervals.Length; j++)
        {
            var column = samples.Select(s => s[j]).Where(double.IsFinite).Order().ToArray();
            double mean = column.Length == 0 ? double.NaN : column.Average();
            double sd = column.Length < 2 ? double.NaN : Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (column.Length - 1));
            intervals[j] = new ParameterInterval(law.Parameters[j].Name, estimate[j], Quantile(column, lowerQ), Quantile(column, upperQ), sd);
        }
    }

    /// <summary>The law.</summary>
    public ScalingLaw Law { get; }

    /// <summary>Each resample's natural parameters.</summary>
    public IReadOnlyList<double[]> Samples { get; }

    /// <summary>Each resample's objective.</summary>
    public IReadOnlyList<double> Objectives { get; }

    /// <summary>The interval level.</summary>
    public double Confidence { get; }

    /// <summary>The intervals, in the law's parameter order.</summary>
    public IReadOnlyList<ParameterInterval> Intervals => intervals;

    /// <summary>The interval of the parameter called <paramref name="name"/>.</summary>
    public ParameterInterval this[string name] => intervals[Law.IndexOf(name)];

    /// <summary>The percentile interval of a derived quantity f(p) over the resamples (for example tokens per parameter).</summary>
    public (double Lower, double Upper) Interval(Func<double[], double> derived)
    {
        ArgumentNullException.ThrowIfNull(derived);
        var values = Samples.Select(derived).Where(double.IsFinite).Order().ToArray();
        double lowerQ = (1 - Confidence) / 2;
        return (Quantile(values, lowerQ), Quantile(values, 1 - lowerQ));
    }

    /// <summary>Linear-interpolation quantile (NumPy's default) of sorted values.</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
