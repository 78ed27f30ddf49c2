using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Poly-1 loss (Leng, Xu, Tan et al., ICLR 2022, arXiv:2204.12511): ℓ = −log p_y + ε·(1 − p_y), the first polynomial
/// coefficient of cross-entropy's Taylor expansion Σ_j (1/j)(1 − p_y)^j perturbed by ε. Optional label smoothing makes
/// p_t = Σ_k q_k p_k with the smoothed target q, as in the paper's reference code.
/// </summary>
public sealed class Poly1Loss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="epsilon">ε (paper's default: 1; it sweeps −1 … 2 and beyond).</param>
    /// <param name="labelSmoothing">ε_ls in [0, 1].</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public Poly1Loss(double epsilon = 1.0, double labelSmoothing = 0.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(Poly1Loss))
    {
        Epsilon = double.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite.");
        LabelSmoothing = Guard.InRange(labelSmoothing, 0, 1, nameof(labelSmoothing));
        Reduction = reduction;
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Label smoothing.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.Poly1(input, target, Epsilon, LabelSmoothing, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Poly-1: CE + ε·(1 − p_t); see <see cref="Poly1Loss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="labelSmoothing">Label smoothing in [0, 1].</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Poly1(Tensor input, Tensor target, double epsilon = 1.0, double labelSmoothing = 0.0, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        Guard.InRange(labelSmoothing, 0, 1, nameof(labelSmoothing));
        var ce = CrossEntropy(input, target, null, null, labelSmoothing, nn.Reduction.None);
        var p = input.softmax(1);
        var q = SmoothedOneHot(target, input, labelSmoothing);
        var pt = (p * q).sum(1);
        return LossReduction.Reduce(ce + epsilon * (1 - pt), reduction, sampleWeights);
    }

    /// <summary>(1 − ε)·onehot(y) + ε/C, in the input's dtype.</summary>
    internal static Tensor SmoothedOneHot(Tensor target, Tensor input, double labelSmoothing)
    {
        var oneHot = nn.functional.one_hot(target.to_type(ScalarType.Int64), input.shape[1]).to(input.dtype);
        return labelSmoothing == 0 ? oneHot : oneHot * (1 - labelSmoothing) + labelSmoothing / input.shape[1];
    }
}
