using LossLab.Training;
using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Circle loss with pair-wise labels (Sun et al., CVPR 2020, arXiv:2002.10857): per anchor,
/// L = softplus(LSE_n[γ·α_n·(s_n − Δ_n)] + LSE_p[−γ·α_p·(s_p − Δ_p)]), α_p = [1 + m − s_p]₊ and α_n = [s_n + m]₊ held
/// constant in backprop, Δ_p = 1 − m, Δ_n = m, s = cosine similarity. An anchor without a positive or a negative adds 0.
/// Paper: m = 0.25, γ = 256 (faces); m = 0.4, γ = 80 (fine-grained retrieval; pytorch-metric-learning's default, used here).
/// Default reducer: mean over non-zero anchors.</summary>
public sealed class CircleLoss : PairLoss
{
    /// <param name="margin">m ∈ [0, 1], the relaxation (0.4).</param>
    /// <param name="gamma">γ &gt; 0, the scale (80).</param>
    /// <param name="reducer">Reducer; default <see cref="AverageNonZeroReducer"/>.</param>
    /// <param name="miner">Optional miner.</param>
    public CircleLoss(double margin = 0.4, double gamma = 80, IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(CircleLoss), new CosineSimilarity(), reducer ?? new AverageNonZeroReducer(), miner)
    {
        Margin = Guard.InRange(margin, 0, 1, nameof(margin));
        Gamma = Guard.Positive(gamma, nameof(gamma));
    }

    /// <summary>m.</summary>
    public double Margin { get; }
    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch)
    {
        var valid = batch.Positive.any(1).logical_and(batch.Negative.any(1));
        return [new LossTerm("loss", PairLossFunctions.Circle(batch.Matrix, batch.Positive, batch.Negative, Margin, Gamma), TermKind.Element, valid)];
    }
}

public static partial class PairLossFunctions
{
    /// <summary>Per-anchor circle loss on a cosine-similarity matrix (see <see cref="CircleLoss"/>); 0 with zero gradient for an
    /// anchor that lacks positives or negatives.</summary>
    public static Tensor Circle(Tensor similarity, Tensor positive, Tensor negative, double margin = 0.4, double gamma = 80)
    {
        var s = similarity.detach();
        var logitP = -gamma * (1 + margin - s).relu() * (similarity - (1 - margin));
        var logitN = gamma * (s + margin).relu() * (similarity - margin);
        var inner = MaskedLogSumExp(logitP, positive, 1) + MaskedLogSumExp(logitN, negative, 1);
        var invalid = positive.any(1).logical_and(negative.any(1)).logical_not();
        return nn.functional.softplus(inner).masked_fill(invalid, TorchScalars.Zero);
    }
}
