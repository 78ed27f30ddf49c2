using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Poly-1 focal loss (Leng et al., ICLR 2022, arXiv:2204.12511), softmax form: ℓ = FL_γ + ε·(1 − p_y)^{γ+1}, with
/// FL_γ = −α_y (1 − p_y)^γ log p_y the <see cref="FocalLoss"/>. The paper's detection form is sigmoid-based; see
/// <see cref="LossFunctions.SigmoidPoly1Focal"/>.
/// </summary>
public sealed class Poly1FocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[]? alpha;

    /// <summary>Creates the loss.</summary>
    /// <param name="epsilon">ε (paper's default 1).</param>
    /// <param name="gamma">γ ≥ 0 (paper: 2).</param>
    /// <param name="alpha">Optional α per class.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public Poly1FocalLoss(double epsilon = 1.0, double gamma = 2.0, double[]? alpha = null, nn.Reduction reduction = nn.Reduction.Mean)
        : base(nameof(Poly1FocalLoss))
    {
        Epsilon = double.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite.");
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        this.alpha = LossReduction.CheckClassArray(alpha, nameof(alpha));
        Reduction = reduction;
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        var a = alpha is null ? null : FocalLoss.ClassTensor(alpha, input, nameof(alpha));
        return LossFunctions.Poly1Focal(input, target, Epsilon, Gamma, a, sampleWeights, Reduction);
    }
}

public static partial class LossFunctions
{
    /// <summary>Softmax Poly-1 focal: FL_γ + ε(1 − p_y)^{γ+1}; see <see cref="Poly1FocalLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="alpha">Optional (C) α.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Poly1Focal(Tensor input, Tensor target, double epsilon = 1.0, double gamma = 2.0, Tensor? alpha = null,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        var focal = Focal(input, target, gamma, alpha, null, nn.Reduction.None);
        var logpt = input.log_softmax(1).gather(1, target.to_type(ScalarType.Int64).unsqueeze(1)).squeeze(1);
        var poly = (-logpt.expm1()).clamp_min(0).pow(gamma + 1);
        return LossReduction.Reduce(focal + epsilon * poly, reduction, sampleWeights);
    }

    /// <summary>Sigmoid Poly-1 focal of the paper's detection code, element-wise:
    /// <see cref="SigmoidFocal"/> + ε·(1 − p_t)^{γ+1}, p_t = p·y + (1 − p)(1 − y).</summary>
    /// <param name="input">Logits, (N, …).</param>
    /// <param name="target">Targets in [0, 1], same shape.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="alpha">α in [0, 1] or null.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How element losses are combined.</param>
    public static Tensor SigmoidPoly1Focal(Tensor input, Tensor target, double epsilon = 1.0, double? alpha = 0.25, double gamma = 2.0,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        var focal = SigmoidFocal(input, target, alpha, gamma, null, nn.Reduction.None);
        var p = input.sigmoid();
        var pt = p * target + (1 - p) * (1 - target);
        return LossReduction.ReduceElementwise(focal + epsilon * (1 - pt).clamp_min(0).pow(gamma + 1), reduction, sampleWeights);
    }
}
