using LossLab.Distances;
using LossLab.Losses.Pairs;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>The mining step of the multi-similarity loss (Wang et al., CVPR 2019, arXiv:1904.06627): keep negative (i, k) if
/// S_ik &gt; min_{y_j = y_i} S_ij − ε and positive (i, j) if S_ij &lt; max_{y_k ≠ y_i} S_ik + ε (for a distance the
/// inequalities flip). An anchor without positives keeps no negatives and vice versa. ε = 0.1.</summary>
public sealed class MultiSimilarityMiner : IMiner
{
    /// <param name="epsilon">ε ≥ 0 (0.1).</param>
    /// <param name="distance">Mining distance; default <see cref="CosineSimilarity"/>.</param>
    public MultiSimilarityMiner(double epsilon = 0.1, IDistance? distance = null)
    {
        Epsilon = Guard.NonNegative(epsilon, nameof(epsilon));
        Distance = distance ?? new CosineSimilarity();
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>The mining distance.</summary>
    public IDistance Distance { get; }

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var mat = Distance.Pairwise(embeddings, reference);
        var sim = Distance.IsSimilarity ? mat : -mat;              // larger = closer in both cases
        var pos = LabelMasks.Positive(labels, refLabels);
        var neg = LabelMasks.Negative(labels, refLabels);
        var minPos = sim.masked_fill(pos.logical_not(), TorchScalars.PositiveInfinity).amin([1], keepdim: true);
        var maxNeg = sim.masked_fill(neg.logical_not(), TorchScalars.NegativeInfinity).amax([1], keepdim: true);
        var keepNeg = neg.logical_and((sim + Epsilon).gt(minPos));
        var keepPos = pos.logical_and((sim - Epsilon).lt(maxNeg));
        return PairTuples.FromMasks(keepPos, keepNeg);
    }
}
