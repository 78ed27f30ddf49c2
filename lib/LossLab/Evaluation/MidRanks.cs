namespace LossLab.Evaluation;

/// <summary>
/// Ranks 1…n of values in ascending order, tied values sharing the mean of the ranks they span (mid-ranks): the ranks of
/// Spearman's correlation and of the Mann–Whitney statistic behind ROC-AUC. O(n log n).
/// </summary>
internal static class MidRanks
{
    /// <summary>The mid-rank of each value, in the values' order.</summary>
    public static double[] Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        // Tied values share one rank, so the order among ties (Array.Sort's is not stable) does not change the result.
        var keys = values.ToArray();
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, order);
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;   // the mean of the 1-based ranks start + 1 … end + 1
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }
}
