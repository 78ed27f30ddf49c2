namespace LossLab.Experiments.Imbalance;

/// <summary>
/// Ranking metrics of a binary detector's scores (higher = more likely positive), as detection papers report them
/// (Lin et al. 2017, arXiv:1708.02002). Samples are ranked by descending score; ties keep the input order.
/// </summary>
public static class BinaryRanking
{
    /// <summary>Average precision: the mean over positives of the precision at each positive's rank,
    /// AP = (1/P)·Σ_{r: positive} hits(r)/r (0 when there is no positive). A random ranking's expected AP is the share of
    /// positives.</summary>
    /// <exception cref="ArgumentException">scores and positive differ in length.</exception>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Order(scores, positive);
        int total = positive.Count(p => p), hits = 0;
        double sum = 0;
        for (int r = 0; r < order.Length; r++)
            if (positive[order[r]]) { hits++; sum += (double)hits / (r + 1); }
        return total == 0 ? 0 : sum / total;
    }

    /// <summary>The best F1 over all thresholds: max over ranks r of 2·TP(r)/(r + P), predicting the top r positive.</summary>
    /// <exception cref="ArgumentException">scores and positive differ in length.</exception>
    public static double BestF1(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Order(scores, positive);
        int total = positive.Count(p => p), tp = 0;
        double best = 0;
        for (int r = 0; r < order.Length; r++)
        {
            if (positive[order[r]]) tp++;
            best = Math.Max(best, 2.0 * tp / (r + 1 + total));
        }
        return best;
    }

    static int[] Order(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count)
            throw new ArgumentException($"scores and positive must have one entry per sample; got {scores.Count} and {positive.Count}.", nameof(positive));
        return Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
    }
}
