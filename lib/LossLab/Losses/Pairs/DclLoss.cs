using LossLab.Training;
using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Decoupled contrastive loss (Yeh et al., ECCV 2022, arXiv:2110.06848): InfoNCE without the positive in the
/// denominator. Per positive pair (a, p): ℓ = −s_ap/τ + log Σ_{n∈N_a} e^{s_an/τ}, averaged over positive pairs; a positive
/// pair whose anchor has no negatives costs 0. s = cosine similarity, τ = 0.1.</summary>
public sealed class DclLoss : PairLoss
{
    /// <param name="temperature">τ &gt; 0 (0.1).</param>
    /// <param name="distance">Distance; default <see cref="CosineSimilarity"/> (a distance is negated).</param>
    /// <param name="reducer">Reducer over positive pairs; default <see cref="MeanReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public DclLoss(double temperature = 0.1, IDistance? distance = null, IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(DclLoss), distance ?? new CosineSimilarity(), reducer ?? new MeanReducer(), miner)
    {
        Temperature = Guard.Positive(temperature, nameof(temperature));
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <summary>The loss of two views z₁, z₂ (N, D) of the same N samples.</summary>
    public Tensor Views(Tensor view1, Tensor view2)
    {
        Guard.SameShape(view1, view2, nameof(view1), nameof(view2));
        return Forward(torch.cat([view1, view2]), NTXentLoss.ViewLabels(view1.shape[0], view1.device));
    }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.Dcl(batch.Matrix, batch.Positive, batch.Negative, Temperature,
            batch.Distance.IsSimilarity), TermKind.PositivePair)];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-positive-pair decoupled contrastive values (see <see cref="DclLoss"/>).</summary>
    public static Tensor Dcl(Tensor matrix, Tensor positive, Tensor negative, double temperature = 0.1, bool isSimilarity = true)
    {
        var logits = (isSimilarity ? matrix : -matrix) / temperature;
        var lseNeg = MaskedLogSumExp(logits, negative, 1);
        var perPair = (lseNeg.unsqueeze(1) - logits).masked_fill(negative.any(1, keepdim: true).logical_not(), TorchScalars.Zero);
        return perPair.masked_select(positive);
    }
}
