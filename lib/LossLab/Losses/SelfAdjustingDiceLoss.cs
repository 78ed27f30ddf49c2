using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Self-adjusting Dice loss (Li, Sun, Meng, Liang, Wu, Li, ACL 2020, arXiv:1911.02855): Dice on the decayed probability
/// p̃ = (1 − p)^α·p, which pushes down easy examples, per sample i:
/// ℓ_i = 1 − (2·Σ_j p̃_ij y_ij + γ)/(Σ_j p̃_ij + Σ_j y_ij + γ). On one element per row, (N, 1), this is the paper's
/// per-example DSC(x_i) = (2(1 − p)^α p y + γ)/((1 − p)^α p + y + γ); on (1, N) it is the reference code's set-level form.
/// </summary>
public sealed class SelfAdjustingDiceLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="alpha">α ≥ 0, the decay exponent (α = 0 is <see cref="DiceLoss"/>; the paper uses 1).</param>
    /// <param name="smooth">γ ≥ 0 (paper: 1).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public SelfAdjustingDiceLoss(double alpha = 1.0, double smooth = 1.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(SelfAdjustingDiceLoss))
    {
        Alpha = Guard.NonNegative(alpha, nameof(alpha));
        Smooth = Guard.NonNegative(smooth, nameof(smooth));
        Reduction = reduction;
    }

    /// <summary>α.</summary>
    public double Alpha { get; }

    /// <summary>γ.</summary>
    public double Smooth { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.SelfAdjustingDice(input, target, Alpha, Smooth, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Self-adjusting Dice loss; see <see cref="SelfAdjustingDiceLoss"/>.</summary>
    /// <param name="input">Probabilities p in [0, 1], (N, …).</param>
    /// <param name="target">Targets y in [0, 1], same shape.</param>
    /// <param name="alpha">α ≥ 0.</param>
    /// <param name="smooth">γ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor SelfAdjustingDice(Tensor input, Tensor target, double alpha = 1.0, double smooth = 1.0, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        Guard.NonNegative(alpha, nameof(alpha));
        Guard.NonNegative(smooth, nameof(smooth));
        var (p, y) = Rows(input, target);
        var decayed = alpha == 0 ? p : (1 - p).pow(alpha) * p;
        var numerator = 2 * (decayed * y).sum(1) + smooth;
        var denominator = decayed.sum(1) + y.sum(1) + smooth;
        return LossReduction.Reduce(1 - Ratio(numerator, denominator), reduction, sampleWeights);
    }
}
