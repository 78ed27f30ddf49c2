using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Contrastive loss (Hadsell, Chopra and LeCun, CVPR 2006, "Dimensionality Reduction by Learning an Invariant
/// Mapping"), in pytorch-metric-learning's form: a positive pair costs [d − m₊]₊ and a negative pair [m₋ − d]₊ (for a
/// similarity: [m₊ − s]₊ and [s − m₋]₊). The two terms "positive" and "negative" are reduced separately and added;
/// default reducer: mean over non-zero values.</summary>
/// <remarks>Hadsell et al. square both hinges (y·d² + (1 − y)·[m − d]₊²); pytorch-metric-learning does not, and neither does
/// this class. Squared hinges follow from <see cref="LpDistance"/> with power 2 only for the positive term.</remarks>
public sealed class ContrastiveLoss : PairLoss
{
    /// <param name="positiveMargin">m₊: positive pairs closer than this cost nothing (PML default 0).</param>
    /// <param name="negativeMargin">m₋: negative pairs farther than this cost nothing (PML default 1).</param>
    /// <param name="distance">Distance; default normalised Euclidean (<see cref="LpDistance"/>).</param>
    /// <param name="reducer">Reducer; default <see cref="AverageNonZeroReducer"/>.</param>
    /// <param name="miner">Optional miner run on every batch.</param>
    public ContrastiveLoss(double positiveMargin = 0, double negativeMargin = 1, IDistance? distance = null,
        IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(ContrastiveLoss), distance ?? new LpDistance(), reducer ?? new AverageNonZeroReducer(), miner)
    {
        PositiveMargin = double.IsFinite(positiveMargin) ? positiveMargin
            : throw new ArgumentOutOfRangeException(nameof(positiveMargin), positiveMargin, "positiveMargin must be finite.");
        NegativeMargin = double.IsFinite(negativeMargin) ? negativeMargin
            : throw new ArgumentOutOfRangeException(nameof(negativeMargin), negativeMargin, "negativeMargin must be finite.");
    }

    /// <summary>m₊.</summary>
    public double PositiveMargin { get; }
    /// <summary>m₋.</summary>
    public double NegativeMargin { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch)
    {
        var (pos, neg) = PairLossFunctions.Contrastive(batch.Matrix, batch.Positive, batch.Negative, PositiveMargin, NegativeMargin,
            batch.Distance.IsSimilarity);
        return [new LossTerm("positive", pos, TermKind.PositivePair), new LossTerm("negative", neg, TermKind.NegativePair)];
    }
}

public static partial class PairLossFunctions
{
    /// <summary>Per-pair contrastive costs: ([d − m₊]₊ over positive pairs, [m₋ − d]₊ over negative pairs), or for a
    /// similarity ([m₊ − s]₊, [s − m₋]₊). See <see cref="ContrastiveLoss"/>.</summary>
    public static (Tensor Positive, Tensor Negative) Contrastive(Tensor matrix, Tensor positive, Tensor negative,
        double positiveMargin = 0, double negativeMargin = 1, bool isSimilarity = false)
    {
        var posCost = (isSimilarity ? positiveMargin - matrix : matrix - positiveMargin).relu();
        var negCost = (isSimilarity ? matrix - negativeMargin : negativeMargin - matrix).relu();
        return (posCost.masked_select(positive), negCost.masked_select(negative));
    }
}
