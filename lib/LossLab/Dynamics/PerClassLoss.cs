using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Cross-entropy broken down by class, to follow how fast frequent and rare classes are learned (Kunstner et al.,
/// 2024, "Heavy-Tailed Class Imbalance and Why Adam Outperforms Gradient Descent on Language Models", arXiv:2402.19449):
/// L_k = mean over samples with label k of −log softmax(z)_k.</summary>
public static class PerClassLoss
{
    /// <summary>L_k for k = 0 … C − 1 from logits (N, C) and labels (N); NaN for a class with no sample.</summary>
    public static double[] Compute(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var nll = nn.functional.cross_entropy(logits.detach().to_type(ScalarType.Float64), labels, reduction: nn.Reduction.None);
        return FromSampleLosses(nll, labels, (int)logits.shape[1]);
    }

    /// <summary>L_k for k = 0 … <paramref name="classes"/> − 1 from per-sample losses already computed (N) and labels (N): the
    /// same values as <see cref="Compute"/> when <paramref name="sampleLosses"/> is the per-sample cross-entropy, without a
    /// second pass over the (N, C) logits; NaN for a class with no sample. Sums are taken in float64.</summary>
    /// <exception cref="ArgumentException">The two tensors are not vectors of one length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one class.</exception>
    public static double[] FromSampleLosses(Tensor sampleLosses, Tensor labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(sampleLosses);
        ArgumentNullException.ThrowIfNull(labels);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 1.");
        if (sampleLosses.dim() != 1 || labels.dim() != 1 || sampleLosses.shape[0] != labels.shape[0])
            throw new ArgumentException($"sampleLosses and labels must be vectors of one length; got [{string.Join(", ", sampleLosses.shape)}] and [{string.Join(", ", labels.shape)}].", nameof(sampleLosses));
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var target = labels.to_type(ScalarType.Int64);
        var sums = torch.zeros(classes, dtype: ScalarType.Float64, device: sampleLosses.device)
            .index_add_(0, target, sampleLosses.detach().to_type(ScalarType.Float64), 1.0);
        var counts = torch.bincount(target, minlength: classes).to_type(ScalarType.Float64);
        var s = sums.cpu().data<double>().ToArray();
        var n = counts.cpu().data<double>().ToArray();
        return s.Select((x, k) => n[k] > 0 ? x / n[k] : double.NaN).ToArray();
    }

    /// <summary>Sample-weighted mean of per-class losses over each group of classes (e.g. frequency deciles).</summary>
    /// <param name="perClass">L_k per class.</param>
    /// <param name="classCounts">Samples per class (the weights).</param>
    /// <param name="groups">Each group's class indices.</param>
    public static double[] GroupMeans(IReadOnlyList<double> perClass, IReadOnlyList<long> classCounts, IReadOnlyList<IReadOnlyList<int>> groups)
    {
        ArgumentNullException.ThrowIfNull(perClass);
        ArgumentNullException.ThrowIfNull(classCounts);
        ArgumentNullException.ThrowIfNull(groups);
        if (perClass.Count != classCounts.Count)
            throw new ArgumentException($"classCounts must have one entry per class ({perClass.Count}); got {classCounts.Count}.", nameof(classCounts));
        return groups.Select((g, gi) =>
        {
            double sum = 0, weight = 0;
            foreach (var k in g)
            {
                if (k < 0 || k >= perClass.Count)
                    throw new ArgumentOutOfRangeException(nameof(groups), $"groups[{gi}] holds class {k}, outside [0, {perClass.Count}).");
                if (classCounts[k] == 0) continue;
                sum += classCounts[k] * perClass[k];
                weight += classCounts[k];
            }
            return weight > 0 ? sum / weight : double.NaN;
        }).ToArray();
    }

    /// <summary>Splits classes sorted by descending frequency into <paramref name="buckets"/> groups of (nearly) equal
    /// numbers of classes: bucket 0 the most frequent classes, the last bucket the rarest.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> FrequencyBuckets(IReadOnlyList<long> classCounts, int buckets)
    {
        ArgumentNullException.ThrowIfNull(classCounts);
        if (buckets < 1 || buckets > classCounts.Count)
            throw new ArgumentOutOfRangeException(nameof(buckets), buckets, $"buckets must lie in [1, {classCounts.Count}].");
        var order = Enumerable.Range(0, classCounts.Count).OrderByDescending(k => classCounts[k]).ThenBy(k => k).ToArray();
        return Enumerable.Range(0, buckets)
            .Select(b => (IReadOnlyList<int>)order[(int)((long)b * order.Length / buckets)..(int)((long)(b + 1) * order.Length / buckets)])
            .ToArray();
    }
}
