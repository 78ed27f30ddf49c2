using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Dual focal loss for calibration (Tao, Dong, Xu, ICML 2023, arXiv:2305.13665): ℓ = −(1 − p_y + p_j)^γ·log p_y, where
/// p_j is the largest class probability strictly below p_y (0 when p_y is the smallest). As in the reference code,
/// the choice of j is fixed and the gradient flows through both p_y and p_j.
/// </summary>
public sealed class DualFocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="gamma">γ ≥ 0 (reference code: 5 on CIFAR).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public DualFocalLoss(double gamma = 5.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(DualFocalLoss))
    {
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        Reduction = reduction;
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.DualFocal(input, target, Gamma, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Dual focal loss; see <see cref="DualFocalLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor DualFocal(Tensor input, Tensor target, double gamma = 5.0, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        Guard.NonNegative(gamma, nameof(gamma));
        var logp = input.log_softmax(1);
        var p = logp.exp();
        var index = target.to_type(ScalarType.Int64).unsqueeze(1);
        var logpy = logp.gather(1, index);
        var py = logpy.exp();
        var below = (p < py).to(p.dtype);                            // 1 where p_k < p_y: the candidates for j
        var pj = (below * p).max(1).values;                           // largest of them (0 if none)
        var weight = (1 - py.squeeze(1) + pj).clamp_min(0).pow(gamma);
        return LossReduction.Reduce(-weight * logpy.squeeze(1), reduction, sampleWeights);
    }
}
