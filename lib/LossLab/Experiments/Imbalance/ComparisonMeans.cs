namespace LossLab.Experiments.Imbalance;

/// <summary>Means over seeds of a <see cref="MethodComparison{TRun}"/>, for tables and charts (claims use the per-seed
/// values and their intervals, not these).</summary>
public static class ComparisonMeans
{
    /// <summary>The mean over seeds of <paramref name="metric"/> of <paramref name="method"/>'s runs.</summary>
    public static double Mean<TRun>(this MethodComparison<TRun> runs, string method, Func<TRun, double> metric)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.PerSeed(method, metric).Average();
    }

    /// <summary>The element-wise mean over seeds of the vectors <paramref name="values"/> gives for <paramref name="method"/>'s
    /// runs (per-class accuracy, row norms, a curve).</summary>
    /// <exception cref="ArgumentException">The runs' vectors differ in length.</exception>
    public static double[] MeanOf<TRun>(this MethodComparison<TRun> runs, string method, Func<TRun, IReadOnlyList<double>> values)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(values);
        var vectors = runs.RunsOf(method).Select(values).ToArray();
        int n = vectors[0].Count;
        if (vectors.Any(v => v.Count != n))
            throw new ArgumentException($"the runs of '{method}' give vectors of different lengths: [{string.Join(", ", vectors.Select(v => v.Count))}].", nameof(values));
        return Enumerable.Range(0, n).Select(i => vectors.Select(v => v[i]).Average()).ToArray();
    }
}
