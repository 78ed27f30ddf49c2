namespace LossLab.Experiments.Imbalance;

/// <summary>Derived comparisons.</summary>
public static class ComparisonMaps
{
    /// <summary>A comparison with the same methods and seeds whose runs are <paramref name="map"/> of these runs (e.g. a
    /// calibration report of each run's logits), so summaries and paired claims read the derived numbers directly.
    /// Builds it through <see cref="MethodComparison{TRun}.Run"/>, which re-seeds torch's global generator per run.</summary>
    public static MethodComparison<TOut> Map<TRun, TOut>(this MethodComparison<TRun> runs, Func<TRun, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(map);
        return new MethodComparison<TOut>(runs.Methods, runs.Seeds).Run((method, seed) => map(runs[method, seed]));
    }
}
