using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Multi-similarity loss (Wang et al., CVPR 2019, arXiv:1904.06627): per anchor i,
/// L_i = (1/α)·log[1 + Σ_{p∈P_i} e^{−α(S_ip − λ)}] + (1/β)·log[1 + Σ_{n∈N_i} e^{β(S_in − λ)}], S = cosine similarity;
/// averaged over the batch. The paper's mining step is <see cref="MultiSimilarityMiner"/>. Paper: α = 2, β = 50, λ = 1
/// (pytorch-metric-learning's default λ = 0.5, used here).</summary>
public sealed class MultiSimilarityLoss : PairLoss
{
    /// <param name="alpha">α &gt; 0, positive scale (2).</param>
    /// <param name="beta">β &gt; 0, negative scale (50).</param>
    /// <param name="base">λ, the similarity offset (0.5).</param>
    /// <param name="distance">Distance; default <see cref="CosineSimilarity"/>.</param>
    /// <param name="reducer">Reducer; default <see cref="MeanReducer"/> over anchors.</param>
    /// <param name="miner">Optional miner, e.g. <see cref="MultiSimilarityMiner"/>.</param>
    public MultiSimilarityLoss(double alpha = 2, double beta = 50, double @base = 0.5, IDistance? distance = null,
        IReducer? reducer = null, IMiner? miner = null)
        : base(nameof(MultiSimilarityLoss), distance ?? new CosineSimilarity(), reducer ?? new MeanReducer(), miner)
    {
        Alpha = Guard.Positive(alpha, nameof(alpha));
        Beta = Guard.Positive(beta, nameof(beta));
        Base = double.IsFinite(@base) ? @base : throw new ArgumentOutOfRangeException(nameof(@base), @base, "base must be finite.");
    }

    /// <summary>α.</summary>
    public double Alpha { get; }
    /// <summary>β.</summary>
    public double Beta { get; }
    /// <summary>λ.</summary>
    public double Base { get; }

    /// <inheritdoc />
    protected override IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch) =>
        [new LossTerm("loss", PairLossFunctions.MultiSimilarity(batch.Matrix, batch.Positive, batch.Negative, Alpha, Beta, Base,
            batch.Distance.IsSimilarity), TermKind.Element)];
}

public static partial class PairLossFunctions
{
    /// <summary>Per-anchor multi-similarity loss (see <see cref="MultiSimilarityLoss"/>); an anchor without positives or
    /// negatives contributes 0 for the missing part.</summary>
    public static Tensor MultiSimilarity(Tensor matrix, Tensor positive, Tensor negative, double alpha = 2, double beta = 50,
        double @base = 0.5, bool isSimilarity = true)
    {
        var posArg = isSimilarity ? @base - matrix : matrix - @base;
        var negArg = isSimilarity ? matrix - @base : @base - matrix;
        return MaskedLogSumExp(alpha * posArg, positive, 1, addOne: true) / alpha
             + MaskedLogSumExp(beta * negArg, negative, 1, addOne: true) / beta;
    }
}
