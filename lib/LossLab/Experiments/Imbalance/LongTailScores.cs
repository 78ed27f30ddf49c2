using LossLab.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// The long-tail scores of one model on a test set, from <see cref="LossLab.Evaluation"/>: plain and balanced accuracy
/// (the mean of per-class recalls), the many/medium/few-shot split by training-set size (&gt; 100, 20–100, &lt; 20 images;
/// Liu et al. 2019, arXiv:1904.05160), per-class accuracy, and the classifier rows with their norms ‖w_c‖, which grow with
/// class size under plain cross-entropy (Kang et al. 2020, arXiv:1910.09217).
/// </summary>
/// <param name="Accuracy">Fraction of test samples classified correctly.</param>
/// <param name="BalancedAccuracy">Mean over classes of the per-class accuracy.</param>
/// <param name="Many">Mean accuracy of the classes with more than 100 training samples (NaN if none).</param>
/// <param name="Medium">Mean accuracy of the classes with 20–100 training samples (NaN if none).</param>
/// <param name="Few">Mean accuracy of the classes with fewer than 20 training samples (NaN if none).</param>
/// <param name="PerClass">Accuracy of each class (NaN for a class absent from the test set).</param>
/// <param name="ClassifierRows">W in float64, (C, D) as [c, d].</param>
/// <param name="RowNorms">‖w_c‖ of each row.</param>
public sealed record LongTailScores(double Accuracy, double BalancedAccuracy, double Many, double Medium, double Few, double[] PerClass,
    double[,] ClassifierRows, double[] RowNorms)
{
    /// <summary>cos(w_a, w_b) of every pair of classifier rows (C, C), in float64 (1 on the diagonal; 0 against a zero row):
    /// a simplex ETF has −1/(C − 1) off the diagonal, and minority collapse drives the minority rows' cosines to 1 (Fang
    /// et al. 2021, arXiv:2101.12699).</summary>
    public double[,] RowCosines()
    {
        int c = ClassifierRows.GetLength(0), d = ClassifierRows.GetLength(1);
        var cos = new double[c, c];
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
            {
                double dot = 0;
                for (int k = 0; k < d; k++) dot += ClassifierRows[a, k] * ClassifierRows[b, k];
                double norms = RowNorms[a] * RowNorms[b];
                cos[a, b] = norms > 0 ? dot / norms : 0;
            }
        return cos;
    }

    /// <summary>
    /// Scores <paramref name="logits"/> (N, C) against <paramref name="labels"/> (N) with the training class counts
    /// <paramref name="trainClassCounts"/> (length C) and the head's weight <paramref name="headWeight"/> (C, D). A single
    /// logit (N, 1) is a binary classifier (class 1 when the logit is positive) with C = 2, and its labels may be
    /// 0/1 floats (N) or (N, 1) as binary cross-entropy takes them.
    /// </summary>
    /// <exception cref="ArgumentException">The logits are not (N, C) with C the number of class counts (or 1 with two
    /// counts), or the labels are not N class indices.</exception>
    public static LongTailScores Of(Tensor logits, Tensor labels, IReadOnlyList<long> trainClassCounts, Tensor headWeight)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(trainClassCounts);
        ArgumentNullException.ThrowIfNull(headWeight);
        Guard.Rank(logits, 2, nameof(logits));
        Guard.Rank(headWeight, 2, nameof(headWeight));
        int classes = trainClassCounts.Count;
        bool binary = logits.shape[1] == 1;
        if (binary ? classes != 2 : logits.shape[1] != classes)
            throw new ArgumentException($"logits must be (N, {classes}) for {classes} class counts (or (N, 1) with two counts); got {Guard.Shape(logits)}.", nameof(logits));
        using var scope = NewDisposeScope();
        var z = logits.detach().cpu();
        var scores = binary ? cat(new[] { zeros_like(z), z }, 1) : z;
        var y = labels.detach().cpu();
        if (y.is_floating_point()) y = y.reshape(-1).round().to(ScalarType.Int64);
        if (y.dim() != 1 || y.shape[0] != z.shape[0])
            throw new ArgumentException($"labels must be {z.shape[0]} class indices; got {Guard.Shape(labels)}.", nameof(labels));
        var shots = ClassificationMetrics.ShotAccuracy(scores, y, trainClassCounts);
        var w = headWeight.detach().cpu().to(ScalarType.Float64);
        long rowsCount = w.shape[0], d = w.shape[1];
        var flat = w.data<double>().ToArray();
        var rows = new double[rowsCount, d];
        for (int c = 0; c < rowsCount; c++) for (int k = 0; k < d; k++) rows[c, k] = flat[c * d + k];
        return new LongTailScores(ClassificationMetrics.Accuracy(scores, y), ClassificationMetrics.BalancedAccuracy(scores, y, classes),
            shots.Many, shots.Medium, shots.Few, ClassificationMetrics.PerClassAccuracy(scores, y, classes), rows,
            w.norm(1).data<double>().ToArray());
    }
}
