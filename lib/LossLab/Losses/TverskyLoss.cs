using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Tversky loss (Salehi, Erdogmus, Gholipour, 2017, arXiv:1706.05721; used by Li et al., ACL 2020, arXiv:1911.02855):
/// per sample, with soft counts TP = Σ p·y, FP = Σ p·(1 − y), FN = Σ (1 − p)·y:
/// ℓ = 1 − (TP + γ)/(TP + α·FP + β·FN + γ). α = β = 0.5 is the soft Dice loss; α = β = 1 the soft Jaccard loss.
/// </summary>
public sealed class TverskyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">α ≥ 0, weight of false positives (Salehi et al.: 0.3).</param>
    /// <param name="beta">β ≥ 0, weight of false negatives (Salehi et al.: 0.7).</param>
    /// <param name="smooth">γ ≥ 0.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public TverskyLoss(double alpha = 0.3, double beta = 0.7, double smooth = 1.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(TverskyLoss))
    {
        Alpha = Guard.NonNegative(alpha, nameof(alpha));
        Beta = Guard.NonNegative(beta, nameof(beta));
        Smooth = Guard.NonNegative(smooth, nameof(smooth));
        Reduction = reduction;
    }

    /// <summary>α (false positives).</summary>
    public double Alpha { get; }

    /// <summary>β (false negatives).</summary>
    public double Beta { get; }

    /// <summary>γ.</summary>
    public double Smooth { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.Tversky(input, target, Alpha, Beta, Smooth, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Tversky loss; see <see cref="TverskyLoss"/>.</summary>
    /// <param name="input">Probabilities p in [0, 1], (N, …).</param>
    /// <param name="target">Targets y in [0, 1], same shape.</param>
    /// <param name="alpha">α ≥ 0 (false positives).</param>
    /// <param name="beta">β ≥ 0 (false negatives).</param>
    /// <param name="smooth">γ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Tversky(Tensor input, Tensor target, double alpha = 0.3, double beta = 0.7, double smooth = 1.0,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        Guard.NonNegative(alpha, nameof(alpha));
        Guard.NonNegative(beta, nameof(beta));
        Guard.NonNegative(smooth, nameof(smooth));
        var (p, y) = Rows(input, target);
        var tp = (p * y).sum(1);
        var fp = (p * (1 - y)).sum(1);
        var fn = ((1 - p) * y).sum(1);
        return LossReduction.Reduce(1 - Ratio(tp + smooth, tp + alpha * fp + beta * fn + smooth), reduction, sampleWeights);
    }
}
