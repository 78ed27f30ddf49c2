using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>Normalised mutual information between two labelings, NMI = I(U; V) / ((H(U) + H(V)) / 2) (scikit-learn's
/// default "arithmetic" normalisation; natural logarithms cancel). Two constant labelings score 1.</summary>
public static class Nmi
{
    /// <summary>NMI of two labelings of the same items.</summary>
    public static double Score(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"the labelings must have the same length: {a.Count} and {b.Count}.", nameof(b));
        if (a.Count == 0) throw new ArgumentException("the labelings must not be empty.", nameof(a));
        int n = a.Count;
        var joint = new Dictionary<(long, long), int>();
        var ca = new Dictionary<long, int>(); var cb = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            joint[(a[i], b[i])] = joint.GetValueOrDefault((a[i], b[i])) + 1;
            ca[a[i]] = ca.GetValueOrDefault(a[i]) + 1;
            cb[b[i]] = cb.GetValueOrDefault(b[i]) + 1;
        }
        if (ca.Count == 1 && cb.Count == 1) return 1;
        double H(Dictionary<long, int> c) => -c.Values.Sum(v => (double)v / n * Math.Log((double)v / n));
        double mi = joint.Sum(kv => (double)kv.Value / n * Math.Log((double)kv.Value * n / ((double)ca[kv.Key.Item1] * cb[kv.Key.Item2])));
        double denom = (H(ca) + H(cb)) / 2;
        return denom <= 0 ? 0 : Math.Max(0, mi / denom);
    }

    /// <summary>NMI between the labels and a seeded k-means clustering of the (N, D) embeddings into as many clusters as
    /// there are distinct labels (pytorch-metric-learning's <c>NMI</c>).</summary>
    public static double OfEmbeddings(Tensor embeddings, Tensor labels, int seed = 0, int iterations = 20, int restarts = 1)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        var y = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        long d = embeddings.shape[1];
        var flat = embeddings.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var points = Enumerable.Range(0, y.Length).Select(i => flat.AsSpan((int)(i * d), (int)d).ToArray()).ToArray();
        var clusters = KMeans.Cluster(points, y.Distinct().Count(), seed, iterations, restarts);
        return Score(clusters.Select(c => (long)c).ToArray(), y);
    }
}
