using LossLab.Distances;
using LossLab.Losses.Pairs;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Batch-hard mining (Hermans, Beyer and Leibe, arXiv:1703.07737): for every anchor, its hardest positive (the
/// farthest, or least similar) and its hardest negative (the closest, or most similar), one triplet per anchor; anchors
/// lacking a positive or a negative are dropped. Ties go to the lowest index.</summary>
/// <param name="distance">Distance used for mining; default normalised Euclidean.</param>
public sealed class BatchHardMiner(IDistance? distance = null) : IMiner
{
    /// <summary>The mining distance.</summary>
    public IDistance Distance { get; } = distance ?? new LpDistance();

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var mat = Distance.Pairwise(embeddings, reference);
        var pos = LabelMasks.Positive(labels, refLabels);
        var neg = LabelMasks.Negative(labels, refLabels);
        // "hardness": larger is harder for positives when a distance, smaller when a similarity; the reverse for negatives.
        var posScore = (Distance.IsSimilarity ? -mat : mat).masked_fill(pos.logical_not(), TorchScalars.NegativeInfinity);
        var negScore = (Distance.IsSimilarity ? mat : -mat).masked_fill(neg.logical_not(), TorchScalars.NegativeInfinity);
        var hardP = posScore.argmax(1);
        var hardN = negScore.argmax(1);
        var keep = pos.any(1).logical_and(neg.any(1));
        var anchors = torch.arange(embeddings.shape[0], dtype: ScalarType.Int64, device: embeddings.device).masked_select(keep);
        return new TripletTuples(anchors, hardP.masked_select(keep), hardN.masked_select(keep));
    }
}
