using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Poly-N loss (Leng et al., ICLR 2022, arXiv:2204.12511): ℓ = −log p_y + Σ_{j=1}^{N} ε_j·(1 − p_y)^j, perturbing the
/// first N coefficients of cross-entropy's expansion Σ_j (1/j)(1 − p_y)^j. With one ε it is <see cref="Poly1Loss"/>.
/// </summary>
public sealed class PolyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[] epsilons;

    /// <summary>Creates the loss.</summary>
    /// <param name="epsilons">ε_1 … ε_N (N ≥ 1), finite.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public PolyLoss(double[] epsilons, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(PolyLoss))
    {
        ArgumentNullException.ThrowIfNull(epsilons);
        if (epsilons.Length == 0) throw new ArgumentException("epsilons must hold at least one coefficient.", nameof(epsilons));
        if (epsilons.Any(e => !double.IsFinite(e))) throw new ArgumentOutOfRangeException(nameof(epsilons), "epsilons must be finite.");
        this.epsilons = (double[])epsilons.Clone();
        Reduction = reduction;
    }

    /// <summary>ε_1 … ε_N.</summary>
    public double[] Epsilons => (double[])epsilons.Clone();

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.PolyN(input, target, epsilons, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Poly-N: CE + Σ_j ε_j (1 − p_y)^j; see <see cref="PolyLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="epsilons">ε_1 … ε_N.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor PolyN(Tensor input, Tensor target, IReadOnlyList<double> epsilons, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        ArgumentNullException.ThrowIfNull(epsilons);
        if (epsilons.Count == 0) throw new ArgumentException("epsilons must hold at least one coefficient.", nameof(epsilons));
        var logpt = input.log_softmax(1).gather(1, target.to_type(ScalarType.Int64).unsqueeze(1)).squeeze(1);
        var oneMinus = (-logpt.expm1()).clamp_min(0);
        var loss = -logpt;
        var power = oneMinus;
        for (int j = 0; j < epsilons.Count; j++)
        {
            if (j > 0) power = power * oneMinus;
            loss = loss + epsilons[j] * power;
        }
        return LossReduction.Reduce(loss, reduction, sampleWeights);
    }
}
