using LossLab.Distances;
using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Hard negatives with top-k false-negative filtering (the "hard negatives or false negatives" trade-off of dense
/// retrieval; Zhan et al., STAR/ADORE, arXiv:2104.08051): for every anchor, all its positives and the
/// <c>negativesPerAnchor</c> hardest negatives after skipping the <c>skipTopK</c> hardest, which are the likeliest to be
/// unlabelled positives. skipTopK = 0 is plain hard-negative mining.</summary>
public sealed class HardNegativeMiner : IMiner
{
    /// <param name="negativesPerAnchor">Negatives kept per anchor (&gt; 0).</param>
    /// <param name="skipTopK">Hardest negatives skipped per anchor as suspected false negatives (≥ 0; default 0).</param>
    /// <param name="distance">Mining distance; default <see cref="CosineSimilarity"/>.</param>
    public HardNegativeMiner(long negativesPerAnchor, long skipTopK = 0, IDistance? distance = null)
    {
        NegativeSelection.CheckCount(negativesPerAnchor, nameof(negativesPerAnchor));
        NegativeSelection.CheckCount(skipTopK, nameof(skipTopK), allowZero: true);
        NegativesPerAnchor = negativesPerAnchor;
        SkipTopK = skipTopK;
        Distance = distance ?? new CosineSimilarity();
    }

    /// <summary>Negatives kept per anchor.</summary>
    public long NegativesPerAnchor { get; }
    /// <summary>Hardest negatives skipped per anchor.</summary>
    public long SkipTopK { get; }
    /// <summary>The mining distance.</summary>
    public IDistance Distance { get; }

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var mat = Distance.Pairwise(embeddings, reference);
        var hardness = Distance.IsSimilarity ? mat : -mat;
        var neg = LabelMasks.Negative(labels, refLabels);
        return PairTuples.FromMasks(LabelMasks.Positive(labels, refLabels),
            NegativeSelection.ByRank(hardness, neg, SkipTopK, NegativesPerAnchor));
    }
}
