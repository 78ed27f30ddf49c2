using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Area under the ROC curve of a binary task, as the Mann–Whitney statistic: AUROC = P(s⁺ &gt; s⁻) + ½·P(s⁺ = s⁻) over
/// positive–negative pairs (Hanley and McNeil, Radiology 1982), computed from mid-ranks in O(N log N) by
/// <see cref="VerificationMetrics.RocAuc"/> after checking that the labels are 0/1 with both classes present.
/// </summary>
public static class Auroc
{
    /// <summary>AUROC of <paramref name="scores"/> (higher = more positive) against 0/1 labels.</summary>
    /// <exception cref="ArgumentException">No positives or no negatives (AUROC undefined), a label other than 0/1, or a NaN score.</exception>
    public static double Binary(double[] scores, long[] labels)
    {
        ImbalanceInputs.SameLength(scores, labels, nameof(scores), nameof(labels));
        long positives = 0;
        foreach (var l in labels)
        {
            if (l != 0 && l != 1) throw new ArgumentOutOfRangeException(nameof(labels), $"labels must be 0 or 1; got {l}.");
            positives += l;
        }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"labels must hold at least one positive and one negative; got {positives} and {negatives}.", nameof(labels));
        if (scores.Any(double.IsNaN)) throw new ArgumentException("scores must not be NaN.", nameof(scores));
        return VerificationMetrics.RocAuc(scores, labels.Select(l => l == 1).ToArray());
    }

    /// <summary>AUROC from (N) floating scores and (N) int64 0/1 labels.</summary>
    public static double Binary(Tensor scores, Tensor labels)
    {
        Guard.Rank(scores, 1, nameof(scores));
        return Binary(ImbalanceInputs.Values(scores, nameof(scores)), ImbalanceInputs.Labels(labels, nameof(labels)));
    }
}
