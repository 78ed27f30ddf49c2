using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// Every unordered pair (i &lt; j) of a verification set with its cosine score and whether it is genuine (same identity);
/// <see cref="TarAtFar"/> gives the true-accept rate at a false-accept rate fixed on the impostor pairs, as in face
/// verification benchmarks (e.g. IJB-B/C TAR@FAR; Kim et al., AdaFace, arXiv:2204.00964).
/// </summary>
public sealed record VerificationPairs(double[] Scores, bool[] Genuine, int[] First, int[] Second)
{
    /// <summary>All pairs of the rows of <paramref name="embeddings"/> (N, D) scored by cosine similarity, with identity
    /// <paramref name="labels"/> (N).</summary>
    /// <exception cref="ArgumentException">Embeddings not floating 2-D, labels not integer 1-D, or counts that differ.</exception>
    public static VerificationPairs All(Tensor embeddings, Tensor labels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        int n = (int)embeddings.shape[0];
        double[] sim;
        long[] y;
        using (NewDisposeScope())
        using (no_grad())
        {
            var x = nn.functional.normalize(embeddings.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
            sim = x.matmul(x.t()).cpu().data<double>().ToArray();
            y = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        }
        int m = n * (n - 1) / 2, k = 0;
        var scores = new double[m];
        var genuine = new bool[m];
        var first = new int[m];
        var second = new int[m];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++, k++)
            {
                scores[k] = sim[i * n + j];
                genuine[k] = y[i] == y[j];
                first[k] = i;
                second[k] = j;
            }
        return new VerificationPairs(scores, genuine, first, second);
    }

    /// <summary>The acceptance threshold at false-accept rate <paramref name="far"/>: with the impostor scores sorted in
    /// descending order, the score at position ⌊far·M⌋ (M impostors), so that at most that many impostors score above it.</summary>
    /// <exception cref="InvalidOperationException">There is no impostor pair.</exception>
    public double Threshold(double far)
    {
        Guard.InRange(far, 0, 1, nameof(far));
        var impostor = Scores.Where((_, k) => !Genuine[k]).ToArray();
        if (impostor.Length == 0) throw new InvalidOperationException("There is no impostor pair to set a threshold on.");
        Array.Sort(impostor);   // ascending: position p of the descending order is impostor[M − 1 − p]
        int allowed = (int)Math.Floor(far * impostor.Length);
        return allowed >= impostor.Length ? double.NegativeInfinity : impostor[impostor.Length - 1 - allowed];
    }

    /// <summary>TAR@FAR: the fraction of genuine pairs (those with <paramref name="include"/>(pair index) when given) that
    /// score strictly above <see cref="Threshold"/>(<paramref name="far"/>), the threshold being set on all impostors. NaN
    /// when no genuine pair is included.</summary>
    public double TarAtFar(double far, Func<int, bool>? include = null)
    {
        double threshold = Threshold(far);
        int total = 0, accepted = 0;
        for (int k = 0; k < Scores.Length; k++)
        {
            if (!Genuine[k] || (include is not null && !include(k))) continue;
            total++;
            if (Scores[k] > threshold) accepted++;
        }
        return total == 0 ? double.NaN : accepted / (double)total;
    }
    /// <summary>TAR@FAR by quality group, as AdaFace reports verification by image quality (arXiv:2204.00964): a pair's
    /// quality is the lower of its two images' <paramref name="sampleQuality"/>; the genuine pairs' qualities, sorted, are
    /// cut at positions ⌊i·G/<paramref name="groups"/>⌋ (G genuine pairs, i = 1 … groups − 1), and group i holds the pairs
    /// with cutᵢ ≤ quality &lt; cutᵢ₊₁ (lowest quality first). The threshold is set on all impostors, as in
    /// <see cref="TarAtFar"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="sampleQuality"/> does not hold one value per image, or
    /// <paramref name="groups"/> is below 1 or above the number of genuine pairs.</exception>
    public double[] TarAtFarByQuality(double far, IReadOnlyList<double> sampleQuality, int groups = 3)
    {
        ArgumentNullException.ThrowIfNull(sampleQuality);
        int images = First.Length == 0 ? 0 : Math.Max(First.Max(), Second.Max()) + 1;
        if (sampleQuality.Count < images)
            throw new ArgumentException($"sampleQuality must hold one value per image: {sampleQuality.Count} values for {images} images.", nameof(sampleQuality));
        var quality = First.Select((i, k) => Math.Min(sampleQuality[i], sampleQuality[Second[k]])).ToArray();
        var genuine = quality.Where((_, k) => Genuine[k]).Order().ToArray();
        if (groups < 1 || groups > genuine.Length)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"groups must lie in [1, {genuine.Length}] (the genuine pairs).");
        var cuts = Enumerable.Range(1, groups - 1).Select(i => genuine[i * genuine.Length / groups]).ToArray();
        return Enumerable.Range(0, groups).Select(g => TarAtFar(far, k =>
            (g == 0 || quality[k] >= cuts[g - 1]) && (g == groups - 1 || quality[k] < cuts[g]))).ToArray();
    }
}
