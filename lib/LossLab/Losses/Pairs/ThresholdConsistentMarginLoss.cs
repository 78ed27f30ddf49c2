using LossLab.Training;
using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Threshold-consistent margin (TCM) regulariser (Zhang et al., ICCV 2023, arXiv:2307.04047), optionally added to a
/// base pair loss: with s = cosine similarity,
/// L_TCM = λ⁺·mean_{positive pairs with s ≤ m⁺}(m⁺ − s) + λ⁻·mean_{negative pairs with s ≥ m⁻}(s − m⁻), each mean 0 when its
/// set is empty. pytorch-metric-learning's defaults: λ⁺ = λ⁻ = 1, m⁺ = 0.9, m⁻ = 0.5.</summary>
public sealed class ThresholdConsistentMarginLoss : PairLoss
{
    /// <param name="baseLoss">The loss TCM regularises (its value is added), or null for the regulariser alone.</param>
    /// <param name="lambdaPlus">λ⁺ ≥ 0 (1).</param>
    /// <param name="lambdaMinus">λ⁻ ≥ 0 (1).</param>
    /// <param name="marginPlus">m⁺ (0.9).</param>
    /// <param name="marginMinus">m⁻ (0.5).</param>
    /// <param name="miner">Optional miner (its tuples also go to the base loss).</param>
    public ThresholdConsistentMarginLoss(PairLoss? baseLoss = null, double lambdaPlus = 1, double lambdaMinus = 1,
        double marginPlus = 0.9, double marginMinus = 0.5, IMiner? miner = null)
        : base(nameof(ThresholdConsistentMarginLoss), new CosineSimilarity(), new SumReducer(), miner)
    {
        BaseLoss = baseLoss;
        LambdaPlus = Guard.NonNegative(lambdaPlus, nameof(lambdaPlus));
        LambdaMinus = Guard.NonNegative(lambdaMinus, nameof(lambdaMinus));
        MarginPlus = Guard.InRange(marginPlus, -1, 1, nameof(marginPlus));
        MarginMinus = Guard.InRange(marginMinus, -1, 1, nameof(marginMinus));
        if (baseLoss is not null) register_module("base", baseLoss);
    }

    /// <summary>The regularised loss, or null.</summary>
    public PairLoss? BaseLoss { get; }
    /// <summary>λ⁺.</summary>
    public double LambdaPlus { get; }
    /// <summary>λ⁻.</summary>
    public double LambdaMinus { get; }
    /// <summary>m⁺.</summary>
    public double MarginPlus { get; }
    /// <summary>m⁻.</summary>
    public double MarginMinus { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch)
    {
        var (pos, neg) = PairLossFunctions.ThresholdConsistentMargin(batch.Matrix, batch.Positive, batch.Negative, MarginPlus, MarginMinus);
        var terms = new List<LossTerm>
        {
            new("positive", LambdaPlus * pos, TermKind.AlreadyReduced),
            new("negative", LambdaMinus * neg, TermKind.AlreadyReduced),
        };
        if (BaseLoss is not null)
            terms.Add(new LossTerm("base", BaseLoss.Forward(batch.Embeddings, batch.Labels, batch.Tuples,
                batch.ReferenceEmbeddings, batch.ReferenceLabels), TermKind.AlreadyReduced));
        return terms;
    }
}

public static partial class PairLossFunctions
{
    /// <summary>TCM's two unweighted parts on a cosine matrix: (mean_{pos, s ≤ m⁺}(m⁺ − s), mean_{neg, s ≥ m⁻}(s − m⁻)),
    /// each 0 with zero gradient when its set is empty.</summary>
    public static (Tensor Positive, Tensor Negative) ThresholdConsistentMargin(Tensor similarity, Tensor positive, Tensor negative,
        double marginPlus = 0.9, double marginMinus = 0.5)
    {
        var hardPos = positive.logical_and(similarity.le(marginPlus));
        var hardNeg = negative.logical_and(similarity.ge(marginMinus));
        var posValue = (marginPlus - similarity).masked_fill(hardPos.logical_not(), TorchScalars.Zero).sum()
            / hardPos.sum().clamp_min(1).to_type(similarity.dtype);
        var negValue = (similarity - marginMinus).masked_fill(hardNeg.logical_not(), TorchScalars.Zero).sum()
            / hardNeg.sum().clamp_min(1).to_type(similarity.dtype);
        return (posValue, negValue);
    }
}
