using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Sigmoid (binary / multi-label) focal loss of RetinaNet (Lin et al., ICCV 2017, arXiv:1708.02002), element-wise:
/// ℓ = −α_t·(1 − p_t)^γ·log p_t with p = σ(x), p_t = p·y + (1 − p)·(1 − y), α_t = α·y + (1 − α)·(1 − y).
/// Targets may be soft (in [0, 1]); then −log p_t is read as the binary cross-entropy BCE(x, y).
/// </summary>
public sealed class SigmoidFocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">α in [0, 1] for positives (paper: 0.25), or null for no α-balancing.</param>
    /// <param name="gamma">γ ≥ 0 (paper: 2).</param>
    /// <param name="reduction">Mean over all elements (paper normalises by the number of positive anchors; use Sum and divide).</param>
    public SigmoidFocalLoss(double? alpha = 0.25, double gamma = 2.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(SigmoidFocalLoss))
    {
        Alpha = alpha is double a ? Guard.InRange(a, 0, 1, nameof(alpha)) : null;
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        Reduction = reduction;
    }

    /// <summary>α, or null.</summary>
    public double? Alpha { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N) over the first dimension, or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.SigmoidFocal(input, target, Alpha, Gamma, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Element-wise sigmoid focal loss; see <see cref="SigmoidFocalLoss"/>.</summary>
    /// <param name="input">Logits x, (N, …).</param>
    /// <param name="target">Targets y in [0, 1], same shape.</param>
    /// <param name="alpha">α in [0, 1] or null.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights over the first dimension.</param>
    /// <param name="reduction">How element losses are combined.</param>
    public static Tensor SigmoidFocal(Tensor input, Tensor target, double? alpha = 0.25, double gamma = 2.0, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: false);
        LossReduction.CheckSampleWeights(sampleWeights, input.shape[0]);
        if (alpha is double a) Guard.InRange(a, 0, 1, nameof(alpha));
        Guard.NonNegative(gamma, nameof(gamma));
        var p = input.sigmoid();
        var bce = nn.functional.binary_cross_entropy_with_logits(input, target, reduction: nn.Reduction.None);
        var pt = p * target + (1 - p) * (1 - target);
        var loss = gamma == 0 ? bce : (1 - pt).clamp_min(0).pow(gamma) * bce;
        if (alpha is double al) loss = (al * target + (1 - al) * (1 - target)) * loss;
        return LossReduction.ReduceElementwise(loss, reduction, sampleWeights);
    }
}
