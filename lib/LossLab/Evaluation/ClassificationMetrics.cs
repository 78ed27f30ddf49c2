using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Accuracy-family metrics as pure functions. Every metric has two forms: over tensors (predictions as class scores
/// (N, C) — logits or probabilities, arg-max taken per row — or as integer classes (N); labels as integer classes (N)),
/// and over managed arrays of predicted and true classes. Results are plain numbers in [0, 1]; the inputs are not
/// modified. An empty input is an error, not NaN.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Top-1 accuracy: the share of samples whose predicted class equals the label.</summary>
    public static double Accuracy(Tensor logitsOrPredictions, Tensor labels) =>
        Accuracy(ClassificationInputs.Predictions(logitsOrPredictions, nameof(logitsOrPredictions)),
            ClassificationInputs.Labels(labels, nameof(labels)));

    /// <inheritdoc cref="Accuracy(Tensor, Tensor)"/>
    public static double Accuracy(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels)
    {
        ClassificationInputs.SameLength(predictions.Length, labels.Length, nameof(predictions), nameof(labels));
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predictions[i] == labels[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>
    /// The confusion matrix M with M[t, p] = the number of samples of true class t predicted as p (rows: true classes,
    /// columns: predictions, as in scikit-learn).
    /// </summary>
    /// <param name="logitsOrPredictions">Class scores (N, C) or classes (N).</param>
    /// <param name="labels">True classes (N).</param>
    /// <param name="numClasses">C; default: one more than the largest class seen (or the score tensor's width).</param>
    public static long[,] ConfusionMatrix(Tensor logitsOrPredictions, Tensor labels, int? numClasses = null) =>
        ConfusionMatrix(ClassificationInputs.Predictions(logitsOrPredictions, nameof(logitsOrPredictions)),
            ClassificationInputs.Labels(labels, nameof(labels)),
            numClasses ?? (logitsOrPredictions.dim() == 2 ? (int)logitsOrPredictions.shape[1] : null));

    /// <inheritdoc cref="ConfusionMatrix(Tensor, Tensor, int?)"/>
    public static long[,] ConfusionMatrix(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels, int? numClasses = null)
    {
        ClassificationInputs.SameLength(predictions.Length, labels.Length, nameof(predictions), nameof(labels));
        int c = numClasses ?? (int)Math.Max(Max(predictions), Max(labels)) + 1;
        if (c < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), c, "numClasses must be at least 1.");
        ClassificationInputs.InRange(predictions, c, nameof(predictions));
        ClassificationInputs.InRange(labels, c, nameof(labels));
        var m = new long[c, c];
        for (int i = 0; i < labels.Length; i++) m[labels[i], predictions[i]]++;
        return m;
    }

    /// <summary>
    /// Per-class accuracy (recall): for each class c, the share of its samples predicted as c. A class without samples
    /// gets NaN (it has no accuracy); <see cref="BalancedAccuracy(Tensor, Tensor, int?)"/> skips such classes.
    /// </summary>
    public static double[] PerClassAccuracy(Tensor logitsOrPredictions, Tensor labels, int? numClasses = null) =>
        PerClassAccuracy(ClassificationInputs.Predictions(logitsOrPredictions, nameof(logitsOrPredictions)),
            ClassificationInputs.Labels(labels, nameof(labels)),
            numClasses ?? (logitsOrPredictions.dim() == 2 ? (int)logitsOrPredictions.shape[1] : null));

    /// <inheritdoc cref="PerClassAccuracy(Tensor, Tensor, int?)"/>
    public static double[] PerClassAccuracy(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels, int? numClasses = null)
    {
        var m = ConfusionMatrix(predictions, labels, numClasses);
        int c = m.GetLength(0);
        var result = new double[c];
        for (int t = 0; t < c; t++)
        {
            long total = 0;
            for (int p = 0; p < c; p++) total += m[t, p];
            result[t] = total == 0 ? double.NaN : (double)m[t, t] / total;
        }
        return result;
    }

    /// <summary>Balanced accuracy: the mean of the per-class accuracies over the classes present in the labels
    /// (scikit-learn's <c>balanced_accuracy_score</c>).</summary>
    public static double BalancedAccuracy(Tensor logitsOrPredictions, Tensor labels, int? numClasses = null) =>
        MeanPresent(PerClassAccuracy(logitsOrPredictions, labels, numClasses));

    /// <inheritdoc cref="BalancedAccuracy(Tensor, Tensor, int?)"/>
    public static double BalancedAccuracy(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels, int? numClasses = null) =>
        MeanPresent(PerClassAccuracy(predictions, labels, numClasses));

    /// <summary>
    /// Many-, medium- and few-shot accuracy as in the long-tail literature (Liu et al., "Large-Scale Long-Tailed Recognition
    /// in an Open World", CVPR 2019, arXiv:1904.05160): classes are grouped by their number of <em>training</em> samples
    /// n_c — many-shot n_c &gt; <paramref name="manyThreshold"/>, few-shot n_c &lt; <paramref name="fewThreshold"/>,
    /// medium-shot otherwise — and each group's accuracy is the mean of its classes' test accuracies. Classes absent from
    /// the test labels are left out; a group without classes has accuracy NaN and class count 0.
    /// </summary>
    /// <param name="logitsOrPredictions">Class scores (N, C) or classes (N) on the test set.</param>
    /// <param name="labels">True test classes (N).</param>
    /// <param name="trainClassCounts">n_c, training samples per class; its length is C.</param>
    /// <param name="manyThreshold">Classes with more training samples are many-shot (default 100).</param>
    /// <param name="fewThreshold">Classes with fewer training samples are few-shot (default 20).</param>
    public static ShotGroupAccuracy ShotAccuracy(Tensor logitsOrPredictions, Tensor labels, IReadOnlyList<long> trainClassCounts,
        int manyThreshold = 100, int fewThreshold = 20) =>
        ShotAccuracy(ClassificationInputs.Predictions(logitsOrPredictions, nameof(logitsOrPredictions)),
            ClassificationInputs.Labels(labels, nameof(labels)), trainClassCounts, manyThreshold, fewThreshold);

    /// <inheritdoc cref="ShotAccuracy(Tensor, Tensor, IReadOnlyList{long}, int, int)"/>
    public static ShotGroupAccuracy ShotAccuracy(ReadOnlySpan<long> predictions, ReadOnlySpan<long> labels, IReadOnlyList<long> trainClassCounts,
        int manyThreshold = 100, int fewThreshold = 20)
    {
        ArgumentNullException.ThrowIfNull(trainClassCounts);
        if (trainClassCounts.Count == 0) throw new ArgumentException("trainClassCounts must hold one count per class.", nameof(trainClassCounts));
        if (fewThreshold > manyThreshold + 1)
            throw new ArgumentOutOfRangeException(nameof(fewThreshold), fewThreshold,
                $"fewThreshold ({fewThreshold}) must not exceed manyThreshold + 1 ({manyThreshold + 1}), or the groups would overlap.");
        var perClass = PerClassAccuracy(predictions, labels, trainClassCounts.Count);
        var many = new List<double>();
        var medium = new List<double>();
        var few = new List<double>();
        for (int c = 0; c < perClass.Length; c++)
        {
            if (double.IsNaN(perClass[c])) continue;
            long n = trainClassCounts[c];
            (n > manyThreshold ? many : n < fewThreshold ? few : medium).Add(perClass[c]);
        }
        static double Mean(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Average();
        return new ShotGroupAccuracy(Mean(many), Mean(medium), Mean(few), many.Count, medium.Count, few.Count);
    }

    static double MeanPresent(double[] perClass)
    {
        var present = perClass.Where(a => !double.IsNaN(a)).ToArray();
        return present.Average();   // at least one class is present: empty inputs were rejected
    }

    static long Max(ReadOnlySpan<long> xs)
    {
        long max = long.MinValue;
        foreach (var x in xs) max = Math.Max(max, x);
        return max;
    }
}
