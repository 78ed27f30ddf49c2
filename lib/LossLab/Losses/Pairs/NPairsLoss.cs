using LossLab.Distances;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Multi-class N-pair loss (Sohn, NeurIPS 2016, "Improved Deep Metric Learning with Multi-class N-pair Loss
/// Objective"): one (anchor, positive) pair per class in the batch, and for anchor i the cross-entropy of its similarities
/// to all N positives with its own as target: ℓ_i = log(1 + Σ_{j≠i} exp(s(a_i, p_j) − s(a_i, p_i))). As in
/// pytorch-metric-learning, each class's pair is its first sample and its second (classes with one sample are skipped),
/// and the similarity is the dot product of normalised embeddings. Averaged over the pairs.</summary>
/// <remarks>Sohn's version adds an L2 penalty on raw embeddings; combine with a weight decay or a regulariser for it.</remarks>
public sealed class NPairsLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    /// <param name="distance">Similarity; default <see cref="DotProductSimilarity"/> on normalised rows (a distance is negated).</param>
    public NPairsLoss(IDistance? distance = null) : base(nameof(NPairsLoss)) => Distance = distance ?? new DotProductSimilarity();

    /// <summary>The similarity used.</summary>
    public IDistance Distance { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        var (anchors, positives) = FirstPairPerClass(labels);
        if (anchors.Length == 0) return embeddings.sum() * 0;
        var a = embeddings.index_select(0, torch.tensor(anchors, device: embeddings.device));
        var p = embeddings.index_select(0, torch.tensor(positives, device: embeddings.device));
        var sim = Distance.Pairwise(a, p);
        if (!Distance.IsSimilarity) sim = -sim;
        return nn.functional.cross_entropy(sim, torch.arange(anchors.Length, dtype: ScalarType.Int64, device: embeddings.device));
    }

    /// <summary>For every label (ascending) with at least two samples, its first and second sample index.</summary>
    public static (long[] Anchors, long[] Positives) FirstPairPerClass(Tensor labels)
    {
        var y = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        var groups = y.Select((label, index) => (label, index)).GroupBy(t => t.label).OrderBy(g => g.Key)
            .Select(g => g.Select(t => (long)t.index).ToArray()).Where(g => g.Length >= 2).ToArray();
        return (groups.Select(g => g[0]).ToArray(), groups.Select(g => g[1]).ToArray());
    }
}
