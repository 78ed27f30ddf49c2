using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Triplet margin loss (Weinberger and Saul, JMLR 2009; Schroff et al., FaceNet, arXiv:1503.03832; Hermans,
/// Beyer and Leibe, "In Defense of the Triplet Loss", arXiv:1703.07737): per triplet (a, p, n),
/// L = [d(a, p) − d(a, n) + m]₊ (hinge) or softplus(d(a, p) − d(a, n) + m) (soft margin; Hermans et al. use m = 0).
/// Without tuples every triplet of the labels is used ("batch-all"); with <see cref="BatchHardMiner"/> it is batch-hard,
/// with <see cref="TripletMarginMiner"/> semi-hard. Default reducer: mean over non-zero triplets (batch-all averaging).</summary>
public sealed class TripletMarginLoss : PairLoss
{
    /// <param name="margin">m (pytorch-metric-learning default 0.05; 0.2 in FaceNet and Hermans et al.).</param>
    /// <param name="softMargin">Use softplus instead of the hinge.</param>
    /// <param name="distance">Distance; default normalised Euclidean.</param>
    /// <param name="reducer">Reducer; default <see cref="AverageNonZeroReducer"/>.</param>
    /// <param name="miner">Optional miner (batch-hard, semi-hard, …) run on every batch.</param>
    public TripletMarginLoss(double margin = 0.05, bool softMargin = false, IDistance? distance = null,
        IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(TripletMarginLoss), distance ?? new LpDistance(), reducer ?? new AverageNonZeroReducer(), miner)
    {
        Margin = double.IsFinite(margin) ? margin : throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be finite.");
        SoftMargin = softMargin;
    }

    /// <summary>m.</summary>
    public double Margin { get; }
    /// <summary>Whether softplus replaces the hinge.</summary>
    public bool SoftMargin { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch)
    {
        var values = batch.Tuples is TripletTuples t
            ? PairLossFunctions.TripletMargin(batch.Matrix, t, Margin, SoftMargin, batch.Distance.IsSimilarity)
            : PairLossFunctions.TripletMargin(batch.Matrix, batch.Positive, batch.Negative, Margin, SoftMargin, batch.Distance.IsSimilarity);
        return [new LossTerm("loss", values, TermKind.Triplet)];
    }
}

public static partial class PairLossFunctions
{
    /// <summary>Per-triplet costs of the given triplets: [Δ + m]₊ or softplus(Δ + m), Δ = d(a, p) − d(a, n)
    /// (for a similarity Δ = s(a, n) − s(a, p)).</summary>
    public static Tensor TripletMargin(Tensor matrix, TripletTuples triplets, double margin = 0.05, bool softMargin = false,
        bool isSimilarity = false)
    {
        var ap = matrix.index(triplets.Anchors, triplets.Positives);
        var an = matrix.index(triplets.Anchors, triplets.Negatives);
        var violation = (isSimilarity ? an - ap : ap - an) + margin;
        return softMargin ? nn.functional.softplus(violation) : violation.relu();
    }

    /// <summary>Per-triplet costs of every triplet (a, p, n) with positive[a, p] and negative[a, n] (batch-all), computed on
    /// the (B, R, R) broadcast without loops.</summary>
    public static Tensor TripletMargin(Tensor matrix, Tensor positive, Tensor negative, double margin = 0.05,
        bool softMargin = false, bool isSimilarity = false)
    {
        var diff = isSimilarity ? matrix.unsqueeze(1) - matrix.unsqueeze(2) : matrix.unsqueeze(2) - matrix.unsqueeze(1);
        var violation = diff + margin;                                     // [a, p, n]
        var cost = softMargin ? nn.functional.softplus(violation) : violation.relu();
        return cost.masked_select(positive.unsqueeze(2).logical_and(negative.unsqueeze(1)));
    }
}
