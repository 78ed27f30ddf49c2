using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Lifted structured loss (Oh Song et al., CVPR 2016, arXiv:1511.06452), in pytorch-metric-learning's form: per
/// positive pair (i, j), J_ij = [log(Σ_{k∈N_i} e^{m₋ − d_ik} + Σ_{l∈N_j} e^{m₋ − d_jl}) + d_ij − m₊]₊² / 2, averaged over
/// positive pairs (each unordered pair appears twice, hence the halving). Defaults m₋ = 1, m₊ = 0.</summary>
public sealed class LiftedStructureLoss : PairLoss
{
    /// <param name="negativeMargin">m₋ (1).</param>
    /// <param name="positiveMargin">m₊ (0).</param>
    /// <param name="distance">Distance; default normalised Euclidean.</param>
    /// <param name="reducer">Reducer over positive pairs; default <see cref="MeanReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public LiftedStructureLoss(double negativeMargin = 1, double positiveMargin = 0, IDistance? distance = null,
        IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(LiftedStructureLoss), distance ?? new LpDistance(), reducer ?? new MeanReducer(), miner)
    {
        NegativeMargin = double.IsFinite(negativeMargin) ? negativeMargin
            : throw new ArgumentOutOfRangeException(nameof(negativeMargin), negativeMargin, "negativeMargin must be finite.");
        PositiveMargin = double.IsFinite(positiveMargin) ? positiveMargin
            : throw new ArgumentOutOfRangeException(nameof(positiveMargin), positiveMargin, "positiveMargin must be finite.");
    }

    /// <summary>m₋.</summary>
    public double NegativeMargin { get; }
    /// <summary>m₊.</summary>
    public double PositiveMargin { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.LiftedStructure(batch.Matrix, batch.Positive, batch.Negative, NegativeMargin,
            PositiveMargin, batch.Distance.IsSimilarity), TermKind.PositivePair)];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-positive-pair lifted structured loss (see <see cref="LiftedStructureLoss"/>). The negatives of both ends
    /// of each positive pair are gathered into one (P, 2R) row and reduced by the masked log-sum-exp (an empty row counts 0,
    /// as in pytorch-metric-learning). The pair (i, j) pools row i and row j, which must both index the batch, so with a
    /// separate reference set only row i is used.</summary>
    public static Tensor LiftedStructure(Tensor matrix, Tensor positive, Tensor negative, double negativeMargin = 1,
        double positiveMargin = 0, bool isSimilarity = false)
    {
        var pairs = positive.nonzero();
        var i = pairs[.., 0];
        var j = pairs[.., 1];
        var negArg = isSimilarity ? matrix - negativeMargin : negativeMargin - matrix;
        var posArg = isSimilarity ? positiveMargin - matrix : matrix - positiveMargin;
        Tensor rows, keep;
        if (matrix.shape[0] == matrix.shape[1])
        {
            rows = torch.cat([negArg.index_select(0, i), negArg.index_select(0, j)], 1);
            keep = torch.cat([negative.index_select(0, i), negative.index_select(0, j)], 1);
        }
        else
        {
            rows = negArg.index_select(0, i);
            keep = negative.index_select(0, i);
        }
        var perPair = MaskedLogSumExp(rows, keep, 1) + posArg.index(i, j);
        return perPair.relu().pow(2) / 2;
    }
}
