using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Asymmetric loss for multi-label classification (Ben-Baruch, Ridnik, Zamir, Noy, Friedman, Protter, Zelnik-Manor,
/// ICCV 2021, arXiv:2009.14119). Per label, with p = σ(x) and the shifted probability p_m = max(p − m, 0):
/// ℓ = −y·(1 − p)^{γ⁺}·log p − (1 − y)·p_m^{γ⁻}·log(1 − p_m). A sample's loss is the sum over its labels.
/// </summary>
/// <remarks>As in the reference code, log arguments are clamped below at 1e-8 and the focusing weights carry gradient.
/// The reference returns the sum over the batch; here the reduction (default mean over samples) is configurable.</remarks>
public sealed class AsymmetricLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="gammaPositive">γ⁺ ≥ 0 (paper: 0).</param>
    /// <param name="gammaNegative">γ⁻ ≥ 0 (paper: 4).</param>
    /// <param name="clip">m in [0, 1), the probability margin (paper: 0.05).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public AsymmetricLoss(double gammaPositive = 0, double gammaNegative = 4, double clip = 0.05, nn.Reduction reduction = nn.Reduction.Mean)
        : base(nameof(AsymmetricLoss))
    {
        GammaPositive = Guard.NonNegative(gammaPositive, nameof(gammaPositive));
        GammaNegative = Guard.NonNegative(gammaNegative, nameof(gammaNegative));
        Clip = clip is >= 0 and < 1 ? clip : throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must lie in [0, 1).");
        Reduction = reduction;
    }

    /// <summary>γ⁺.</summary>
    public double GammaPositive { get; }

    /// <summary>γ⁻.</summary>
    public double GammaNegative { get; }

    /// <summary>m.</summary>
    public double Clip { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.Asymmetric(input, target, GammaPositive, GammaNegative, Clip, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Asymmetric loss; see <see cref="AsymmetricLoss"/>.</summary>
    /// <param name="input">Logits x, (N, L).</param>
    /// <param name="target">Label indicators y in [0, 1], (N, L).</param>
    /// <param name="gammaPositive">γ⁺ ≥ 0.</param>
    /// <param name="gammaNegative">γ⁻ ≥ 0.</param>
    /// <param name="clip">m in [0, 1).</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses (sums over labels) are combined.</param>
    public static Tensor Asymmetric(Tensor input, Tensor target, double gammaPositive = 0, double gammaNegative = 4, double clip = 0.05,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.Rank(input, 2, nameof(input));
        LossReduction.CheckDense(input, target, inputIsProbability: false);
        Guard.NonNegative(gammaPositive, nameof(gammaPositive));
        Guard.NonNegative(gammaNegative, nameof(gammaNegative));
        if (!(clip >= 0 && clip < 1)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must lie in [0, 1).");
        const double eps = 1e-8;
        var p = input.sigmoid();
        var negProb = clip > 0 ? (1 - p + clip).clamp_max(1) : 1 - p;              // 1 − p_m
        var lossPos = target * p.clamp_min(eps).log();
        var lossNeg = (1 - target) * negProb.clamp_min(eps).log();
        if (gammaPositive > 0) lossPos = lossPos * (1 - p).pow(gammaPositive);
        if (gammaNegative > 0) lossNeg = lossNeg * (1 - negProb).clamp_min(0).pow(gammaNegative);
        var perSample = -(lossPos + lossNeg).sum(1);
        return LossReduction.Reduce(perSample, reduction, sampleWeights);
    }
}
