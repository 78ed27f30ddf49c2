using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// k-nearest-neighbour classification accuracy of embeddings, the usual probe of self-supervised representations
/// (Wu et al., 2018, arXiv:1805.01978; used by Wang and Liu, arXiv:2012.09740): each query takes the majority label of its
/// k most cosine-similar reference samples; a tie between labels goes to the label whose nearest member ranks first.
/// </summary>
public static class KnnAccuracy
{
    /// <summary>The fraction of queries whose k-NN vote (cosine similarity against the reference set) is their label.</summary>
    /// <param name="queries">(Q, D) floating query embeddings.</param>
    /// <param name="queryLabels">(Q) integer labels.</param>
    /// <param name="references">(R, D) floating reference embeddings, R ≥ k.</param>
    /// <param name="referenceLabels">(R) integer labels.</param>
    /// <param name="k">Neighbours, 1 ≤ k ≤ R (5).</param>
    /// <exception cref="ArgumentException">Shapes or dtypes that do not fit, or D that differs between the two sets.</exception>
    /// <exception cref="ArgumentOutOfRangeException">k outside [1, R].</exception>
    public static double Evaluate(Tensor queries, Tensor queryLabels, Tensor references, Tensor referenceLabels, int k = 5)
    {
        Guard.EmbeddingsAndLabels(queries, queryLabels, nameof(queries), nameof(queryLabels));
        Guard.EmbeddingsAndLabels(references, referenceLabels, nameof(references), nameof(referenceLabels));
        if (queries.shape[1] != references.shape[1])
            throw new ArgumentException(
                $"queries and references must have the same width: queries is {Guard.Shape(queries)}, references is {Guard.Shape(references)}.",
                nameof(references));
        if (k < 1 || k > references.shape[0])
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {references.shape[0]}] (the reference count).");
        if (queries.shape[0] == 0) return double.NaN;
        long[] neighbourLabels, truth;
        using (NewDisposeScope())
        using (no_grad())
        {
            var q = nn.functional.normalize(queries.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
            var r = nn.functional.normalize(references.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
            var nearest = q.matmul(r.t()).topk(k, dim: 1, largest: true, sorted: true).indexes;
            neighbourLabels = referenceLabels.to_type(ScalarType.Int64).to(nearest.device).index_select(0, nearest.flatten()).cpu().data<long>().ToArray();
            truth = queryLabels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        }
        int right = 0;
        for (int i = 0; i < truth.Length; i++)
            if (Vote(neighbourLabels.AsSpan(i * k, k)) == truth[i]) right++;
        return right / (double)truth.Length;
    }

    /// <summary>The majority label of neighbours listed nearest first; ties go to the label met first.</summary>
    internal static long Vote(ReadOnlySpan<long> labels)
    {
        long best = labels[0];
        int bestCount = 0;
        for (int a = 0; a < labels.Length; a++)
        {
            int count = 0;
            for (int b = 0; b < labels.Length; b++) if (labels[b] == labels[a]) count++;
            if (count > bestCount) { best = labels[a]; bestCount = count; }
        }
        return best;
    }
}
