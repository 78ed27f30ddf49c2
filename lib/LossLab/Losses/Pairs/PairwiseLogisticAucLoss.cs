using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Pairwise logistic (Mann–Whitney) AUC loss ("Optimizing What Matters: AUC-Driven Learning for Robust Neural
/// Retrieval", 2025; the RankNet/BPR surrogate of 1 − AUC): per anchor a, positive p and negative n,
/// ℓ = log(1 + exp(−(s_ap − s_an)/τ)), averaged over all such (a, p, n). s = cosine similarity, τ = 1.</summary>
public sealed class PairwiseLogisticAucLoss : PairLoss
{
    /// <param name="temperature">τ &gt; 0 scaling the score difference (1).</param>
    /// <param name="distance">Distance; default <see cref="CosineSimilarity"/> (a distance is negated).</param>
    /// <param name="reducer">Reducer over (a, p, n) triplets; default <see cref="MeanReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public PairwiseLogisticAucLoss(double temperature = 1, IDistance? distance = null, IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(PairwiseLogisticAucLoss), distance ?? new CosineSimilarity(), reducer ?? new MeanReducer(), miner)
    {
        Temperature = Guard.Positive(temperature, nameof(temperature));
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.PairwiseLogisticAuc(batch.Matrix, batch.Positive, batch.Negative, Temperature,
            batch.Distance.IsSimilarity), TermKind.Triplet)];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-(anchor, positive, negative) values softplus(−(s_ap − s_an)/τ) (see <see cref="PairwiseLogisticAucLoss"/>),
    /// on the (B, R, R) broadcast.</summary>
    public static Tensor PairwiseLogisticAuc(Tensor matrix, Tensor positive, Tensor negative, double temperature = 1,
        bool isSimilarity = true)
    {
        var s = isSimilarity ? matrix : -matrix;
        var margin = (s.unsqueeze(1) - s.unsqueeze(2)) / temperature;     // [a, p, n] = s_an − s_ap
        return nn.functional.softplus(margin).masked_select(positive.unsqueeze(2).logical_and(negative.unsqueeze(1)));
    }
}
