namespace LossLab.Experiments.Unlearning;

/// <summary>One row of SalUn's table (Fan et al. 2024, arXiv:2310.12508, Tables 1–2), each cell "mean ± std" over seeds.</summary>
/// <param name="Method">The method, with the number of diverged runs (scored at their last finite checkpoint) if any.</param>
/// <param name="UA">Unlearning accuracy 100 − FA (%).</param>
/// <param name="MIA">MIA-efficacy (%).</param>
/// <param name="RA">Retain accuracy (%).</param>
/// <param name="TA">Test accuracy (%).</param>
/// <param name="LossAUC">The loss-threshold MIA AUC of D_f against D_test (mean).</param>
/// <param name="AvgGap">The average gap to Retrain (points).</param>
/// <param name="Time">Run time relative to Retrain's (mean).</param>
public sealed record UnlearningTableRow(string Method, string UA, string MIA, string RA, string TA, string LossAUC, string AvgGap, string Time)
{
    /// <summary>The table of <paramref name="comparison"/>: Retrain, the original model, then every arm in order, with
    /// <paramref name="digits"/> decimals.</summary>
    public static IReadOnlyList<UnlearningTableRow> Of(MethodComparison<UnlearningRecord> comparison, int digits = 2)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        if (digits is < 0 or > 6) throw new ArgumentOutOfRangeException(nameof(digits), digits, "digits must lie in [0, 6].");
        string f = "F" + digits;
        string Ms(double[] v)
        {
            double mean = v.Average(), sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
            return $"{mean.ToString(f)} ± {sd.ToString(f)}";
        }
        var order = new[] { UnlearningBench.Retrain, UnlearningBench.Original }
            .Concat(comparison.Methods.Where(m => m is not (UnlearningBench.Retrain or UnlearningBench.Original)));
        return order.Select(m =>
        {
            var runs = comparison.RunsOf(m);
            int diverged = runs.Count(r => r.Diverged);
            return new UnlearningTableRow(
                diverged > 0 ? $"{m} ({diverged} diverged, at last finite checkpoint)" : m,
                Ms(runs.Select(r => r.Metrics.UnlearningAccuracy).ToArray()), Ms(runs.Select(r => r.Metrics.MiaEfficacy).ToArray()),
                Ms(runs.Select(r => r.RetainAccuracy).ToArray()), Ms(runs.Select(r => r.TestAccuracy).ToArray()),
                runs.Average(r => r.Metrics.LossMiaAuc).ToString("F3"), Ms(runs.Select(r => r.Gap).ToArray()),
                m == UnlearningBench.Original ? "0" : runs.Average(r => r.RelativeTime).ToString("F2"));
        }).ToArray();
    }
}
