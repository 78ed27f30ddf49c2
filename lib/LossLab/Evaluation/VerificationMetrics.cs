using LossLab.Distances;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>Verification metrics over scored pairs (higher score = more likely the same identity), accepting a pair when its
/// score is at or above a threshold: ROC-AUC, TAR at a FAR and the equal error rate.</summary>
public static class VerificationMetrics
{
    /// <summary>Cosine scores of every unordered pair i &lt; j of the (N, D) embeddings and whether the pair is genuine
    /// (same label).</summary>
    public static (double[] Scores, bool[] Genuine) PairScores(Tensor embeddings, Tensor labels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        using var _ = torch.no_grad();
        var s = new CosineSimilarity().Pairwise(embeddings, embeddings).to_type(ScalarType.Float64).cpu();
        var upper = torch.ones(s.shape, dtype: ScalarType.Bool).triu(1);
        var y = labels.to_type(ScalarType.Int64).cpu();
        var same = y.unsqueeze(1).eq(y.unsqueeze(0));
        return (s.masked_select(upper).data<double>().ToArray(), same.masked_select(upper).data<bool>().ToArray());
    }

    /// <summary>ROC-AUC = P(score of a genuine pair &gt; score of an impostor pair) + ½·P(tie) (Mann–Whitney U / (n₊·n₋)).</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> genuine)
    {
        var (pos, neg) = Split(scores, genuine);
        var ranks = MidRanks.Of(scores);   // a tie counts ½ through the shared mid-rank
        double rankSum = 0;
        for (int i = 0; i < ranks.Length; i++) if (genuine[i]) rankSum += ranks[i];
        return (rankSum - pos.Length * (pos.Length + 1) / 2.0) / ((double)pos.Length * neg.Length);
    }

    /// <summary>The largest true-accept rate over thresholds whose false-accept rate is at most <paramref name="far"/>:
    /// with k = ⌊far·n₋⌋, accept scores strictly above the (k+1)-th highest impostor score (all pairs when k = n₋).</summary>
    public static double TarAtFar(IReadOnlyList<double> scores, IReadOnlyList<bool> genuine, double far)
    {
        if (!(far >= 0 && far <= 1)) throw new ArgumentOutOfRangeException(nameof(far), far, "far must lie in [0, 1].");
        var (pos, neg) = Split(scores, genuine);
        var sortedNeg = neg;     // Split's own copy, sorted in place
        Array.Sort(sortedNeg);   // ascending: the (k+1)-th highest is sortedNeg[n₋ − 1 − k]
        int k = (int)Math.Floor(far * sortedNeg.Length + 1e-9);
        if (k >= sortedNeg.Length) return 1;
        var threshold = sortedNeg[sortedNeg.Length - 1 - k];
        return pos.Count(v => v > threshold) / (double)pos.Length;
    }

    /// <summary>Equal error rate: where FAR(t) = FRR(t), FAR(t) = #impostors ≥ t / n₋, FRR(t) = #genuine &lt; t / n₊, linearly
    /// interpolated between the two adjacent thresholds (the observed scores) where FAR − FRR changes sign.</summary>
    public static double EqualErrorRate(IReadOnlyList<double> scores, IReadOnlyList<bool> genuine)
    {
        var (pos, neg) = Split(scores, genuine);
        var thresholds = scores.Distinct().OrderBy(v => v).Append(double.PositiveInfinity).ToArray();
        var (sp, sn) = (pos, neg);   // Split's own copies, sorted in place
        Array.Sort(sp);
        Array.Sort(sn);
        (double Far, double Frr) At(double t)
        {
            int genuineBelow = LowerBound(sp, t), impostorBelow = LowerBound(sn, t);
            return ((sn.Length - impostorBelow) / (double)sn.Length, genuineBelow / (double)sp.Length);
        }
        var prev = At(thresholds[0]);                                  // FAR = 1, FRR = 0
        foreach (var t in thresholds.Skip(1))
        {
            var cur = At(t);
            double d1 = prev.Far - prev.Frr, d2 = cur.Far - cur.Frr;
            if (d2 <= 0)
            {
                double lambda = d1 - d2 == 0 ? 0 : d1 / (d1 - d2);
                return prev.Far + lambda * (cur.Far - prev.Far);
            }
            prev = cur;
        }
        return prev.Far;
    }

    static int LowerBound(double[] sorted, double t)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < t) lo = mid + 1; else hi = mid; }
        return lo;
    }

    static (double[] Pos, double[] Neg) Split(IReadOnlyList<double> scores, IReadOnlyList<bool> genuine)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(genuine);
        if (scores.Count != genuine.Count)
            throw new ArgumentException($"genuine must have one flag per score: {scores.Count} scores, {genuine.Count} flags.", nameof(genuine));
        if (scores.Any(s => !double.IsFinite(s))) throw new ArgumentException("scores must be finite.", nameof(scores));
        var pos = scores.Where((_, i) => genuine[i]).ToArray();
        var neg = scores.Where((_, i) => !genuine[i]).ToArray();
        if (pos.Length == 0 || neg.Length == 0)
            throw new ArgumentException($"genuine must contain both genuine and impostor pairs; got {pos.Length} genuine and {neg.Length} impostor.", nameof(genuine));
        return (pos, neg);
    }
}
