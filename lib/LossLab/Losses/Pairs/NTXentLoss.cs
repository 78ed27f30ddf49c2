using LossLab.Training;
using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>NT-Xent / InfoNCE with labels (Oord et al., arXiv:1807.03748; Chen et al., SimCLR, arXiv:2002.05709): per
/// positive pair (a, p), ℓ = −log[e^{s_ap/τ} / (e^{s_ap/τ} + Σ_{n∈N_a} e^{s_an/τ})] = softplus(LSE_{n∈N_a}(s_an/τ) − s_ap/τ),
/// averaged over positive pairs. With two views of N samples (<see cref="ViewLabels"/>) this is SimCLR's 2N-view loss.
/// τ = 0.07 (pytorch-metric-learning's default).</summary>
/// <remarks>Same value as pytorch-metric-learning's <c>NTXentLoss</c>, but computed row-wise from the (B, R) matrix: one
/// log-sum-exp over each anchor's negatives, shared by all its positives, instead of a (positive pairs × negative pairs)
/// matrix; memory is O(B·R).</remarks>
public sealed class NTXentLoss : PairLoss
{
    /// <param name="temperature">τ &gt; 0 (0.07).</param>
    /// <param name="distance">Distance; default <see cref="CosineSimilarity"/> (a distance is negated).</param>
    /// <param name="reducer">Reducer over positive pairs; default <see cref="MeanReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public NTXentLoss(double temperature = 0.07, IDistance? distance = null, IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(NTXentLoss), distance ?? new CosineSimilarity(), reducer ?? new MeanReducer(), miner)
    {
        Temperature = Guard.Positive(temperature, nameof(temperature));
    }

    /// <summary>τ.</summary>
    public double Temperature { get; }

    /// <summary>Labels 0…N−1 twice: two views (z₁ stacked over z₂) of N samples, each other's only positive.</summary>
    public static Tensor ViewLabels(long n, Device? device = null)
    {
        var idx = torch.arange(n, dtype: ScalarType.Int64, device: device);
        return torch.cat([idx, idx]);
    }

    /// <summary>The loss of two views z₁, z₂ (N, D) of the same N samples (2N embeddings, each with one positive).</summary>
    public Tensor Views(Tensor view1, Tensor view2)
    {
        Guard.SameShape(view1, view2, nameof(view1), nameof(view2));
        return Forward(torch.cat([view1, view2]), ViewLabels(view1.shape[0], view1.device));
    }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.NTXent(batch.Matrix, batch.Positive, batch.Negative, Temperature,
            batch.Distance.IsSimilarity), TermKind.PositivePair)];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-positive-pair NT-Xent values (see <see cref="NTXentLoss"/>), row-wise: O(B·R) memory. A positive pair whose
    /// anchor has no negatives costs 0.</summary>
    public static Tensor NTXent(Tensor matrix, Tensor positive, Tensor negative, double temperature = 0.07, bool isSimilarity = true)
    {
        var logits = (isSimilarity ? matrix : -matrix) / temperature;
        var lseNeg = MaskedLogSumExp(logits, negative, 1);
        var perPair = nn.functional.softplus(lseNeg.unsqueeze(1) - logits)
            .masked_fill(negative.any(1, keepdim: true).logical_not(), TorchScalars.Zero);
        return perPair.masked_select(positive);
    }
}
