using LossLab.Evaluation;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// The reference points a long-tail claim is judged against: the constant predictor that always answers the largest
/// training class, and the check that every compared method beats a floor in every seed (a claim about models that do
/// not beat it is not judged).
/// </summary>
public static class LongTailBaseline
{
    /// <summary>Balanced accuracy on <paramref name="testLabels"/> of the constant predictor answering the class with the
    /// most training samples (the first such class on ties): 1 over the number of classes present in the test set when
    /// that class is present.</summary>
    /// <exception cref="ArgumentException">No class counts, or labels that are not class indices.</exception>
    public static double HeadClassBalancedAccuracy(Tensor testLabels, IReadOnlyList<long> trainClassCounts)
    {
        ArgumentNullException.ThrowIfNull(testLabels);
        ArgumentNullException.ThrowIfNull(trainClassCounts);
        if (trainClassCounts.Count == 0) throw new ArgumentException("trainClassCounts must hold one count per class.", nameof(trainClassCounts));
        Guard.Labels(testLabels, nameof(testLabels));
        long head = Enumerable.Range(0, trainClassCounts.Count).MaxBy(c => (trainClassCounts[c], -c));
        var labels = testLabels.cpu().data<long>().ToArray();
        var predictions = Enumerable.Repeat(head, labels.Length).ToArray();
        return ClassificationMetrics.BalancedAccuracy(predictions, labels, trainClassCounts.Count);
    }

    /// <summary>Whether every one of <paramref name="methods"/> beats <paramref name="floor"/> on <paramref name="metric"/>
    /// in every seed of <paramref name="runs"/>, and otherwise the reason "{methods} does not beat {floorText} in every seed".</summary>
    public static (bool Beaten, string Reason) Beats<TRun>(MethodComparison<TRun> runs, Func<TRun, double> metric, double floor, string floorText,
        params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Length == 0) throw new ArgumentException("name at least one method.", nameof(methods));
        var losers = methods.Where(m => runs.PerSeed(m, metric).Min() <= floor).ToArray();
        return (losers.Length == 0, $"{string.Join(", ", losers)} does not beat {floorText} in every seed");
    }
}
