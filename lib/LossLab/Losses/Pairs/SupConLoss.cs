using LossLab.Training;
using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Supervised contrastive loss, L_out form (Khosla et al., NeurIPS 2020, arXiv:2004.11362): per anchor i with
/// positives P(i), L_i = −(1/|P(i)|)·Σ_{p∈P(i)} log[exp(s_ip/τ) / Σ_{a∈A(i)} exp(s_ia/τ)], A(i) = every other sample
/// (positives and negatives), s = cosine similarity. τ = 0.1. Default reducer: mean over non-zero anchors (an anchor
/// without positives adds 0), as in pytorch-metric-learning; a batch with no positive or no negative pair gives 0.</summary>
public sealed class SupConLoss : PairLoss
{
    /// <param name="temperature">τ &gt; 0 (0.1).</param>
    /// <param name="distance">Distance; default <see cref="CosineSimilarity"/> (a distance is negated).</param>
    /// <param name="reducer">Reducer; default <see cref="AverageNonZeroReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public SupConLoss(double temperature = 0.1, IDistance? distance = null, IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(SupConLoss), distance ?? new CosineSimilarity(), reducer ?? new AverageNonZeroReducer(), miner)
    {
        Temperature = Guard.Positive(temperature, nameof(temperature));
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.SupCon(batch.Matrix, batch.Positive, batch.Negative, Temperature,
            batch.Distance.IsSimilarity), TermKind.Element, batch.Positive.any(1))];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-anchor SupCon L_out values (see <see cref="SupConLoss"/>); 0 with zero gradient for anchors without
    /// positives, and everywhere when the batch has no positive or no negative pair.</summary>
    public static Tensor SupCon(Tensor matrix, Tensor positive, Tensor negative, double temperature = 0.1, bool isSimilarity = true)
    {
        var logits = (isSimilarity ? matrix : -matrix) / temperature;
        if (!positive.any().item<bool>() || !negative.any().item<bool>())
            return logits.sum(1) * 0;
        var denominator = MaskedLogSumExp(logits, positive.logical_or(negative), 1);
        var logProb = (logits - denominator.unsqueeze(1)).masked_fill(positive.logical_not(), TorchScalars.Zero);
        var count = positive.sum(1).to_type(matrix.dtype).clamp_min(1);
        return -logProb.sum(1) / count;
    }
}
