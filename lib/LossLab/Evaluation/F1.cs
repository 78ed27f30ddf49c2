using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// F1 scores from hard predictions. Per class c, with TP, FP, FN counted one-vs-rest: F1_c = 2·TP/(2·TP + FP + FN).
/// Macro-F1 averages F1_c over the classes that occur among the labels or the predictions (scikit-learn's default
/// label set); a class that occurs in neither has no F1 and is left out.
/// </summary>
public static class F1
{
    /// <summary>F1_c per class; NaN for a class absent from both labels and predictions.</summary>
    public static double[] PerClass(IReadOnlyList<long> predictions, IReadOnlyList<long> labels, int numClasses)
    {
        ImbalanceInputs.SameLength(labels, predictions, nameof(labels), nameof(predictions));
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 1.");
        ImbalanceInputs.CheckRange(labels, numClasses, nameof(labels));
        ImbalanceInputs.CheckRange(predictions, numClasses, nameof(predictions));
        var tp = new long[numClasses];
        var fp = new long[numClasses];
        var fn = new long[numClasses];
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] == predictions[i]) tp[labels[i]]++;
            else { fp[predictions[i]]++; fn[labels[i]]++; }
        }
        return Enumerable.Range(0, numClasses)
            .Select(c => 2 * tp[c] + fp[c] + fn[c] == 0 ? double.NaN : 2.0 * tp[c] / (2 * tp[c] + fp[c] + fn[c])).ToArray();
    }

    /// <summary>Macro-F1: the mean of F1_c over classes present among labels or predictions (0 for no samples).</summary>
    public static double Macro(long[] predictions, long[] labels, int numClasses)
    {
        var present = PerClass(predictions, labels, numClasses).Where(f => !double.IsNaN(f)).ToArray();
        return present.Length == 0 ? 0 : present.Average();
    }

    /// <summary>Macro-F1 from (N) int64 prediction and label tensors.</summary>
    public static double Macro(Tensor predictions, Tensor labels, int numClasses)
    {
        var p = ImbalanceInputs.Labels(predictions, nameof(predictions));
        var y = ImbalanceInputs.Labels(labels, nameof(labels));
        return Macro(p, y, numClasses);
    }

    /// <summary>Binary F1 of the positive class: 2·TP/(2·TP + FP + FN), 0 when there are no positives at all
    /// (scikit-learn's zero-division value).</summary>
    /// <param name="predictions">Predicted classes (0 or 1).</param>
    /// <param name="labels">True classes (0 or 1).</param>
    public static double Binary(long[] predictions, long[] labels)
    {
        var f = PerClass(predictions, labels, 2)[1];
        return double.IsNaN(f) ? 0 : f;
    }
}
