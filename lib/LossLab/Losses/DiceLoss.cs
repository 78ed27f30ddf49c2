using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Soft Dice loss (Milletari, Navab, Ahmadi, 2016, arXiv:1606.04797; Li et al., ACL 2020, arXiv:1911.02855) on
/// probabilities p and targets y, per sample i over its elements j:
/// ℓ_i = 1 − (2·Σ_j p_ij y_ij + γ)/(Σ_j p_ij + Σ_j y_ij + γ), or with the squared denominator Σ_j p_ij² + Σ_j y_ij² + γ.
/// For a dataset- or batch-level Dice, pass the data as one row (1, N·D); for the per-token form of Li et al., (N·D, 1).
/// </summary>
public sealed class DiceLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="smooth">γ ≥ 0, added to numerator and denominator (Li et al.'s code: 1e-4; 1 is common). An empty
    /// prediction of an empty target gives loss 0 even at γ = 0.</param>
    /// <param name="squaredDenominator">Use Σp² + Σy² (Milletari et al.) instead of Σp + Σy.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public DiceLoss(double smooth = 1.0, bool squaredDenominator = false, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(DiceLoss))
    {
        Smooth = Guard.NonNegative(smooth, nameof(smooth));
        SquaredDenominator = squaredDenominator;
        Reduction = reduction;
    }

    /// <summary>γ.</summary>
    public double Smooth { get; }

    /// <summary>Whether the denominator is squared.</summary>
    public bool SquaredDenominator { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.Dice(input, target, Smooth, SquaredDenominator, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Soft Dice loss per sample; see <see cref="DiceLoss"/>.</summary>
    /// <param name="input">Probabilities p in [0, 1], (N, …).</param>
    /// <param name="target">Targets y in [0, 1], same shape.</param>
    /// <param name="smooth">γ ≥ 0.</param>
    /// <param name="squaredDenominator">Σp² + Σy² instead of Σp + Σy.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Dice(Tensor input, Tensor target, double smooth = 1.0, bool squaredDenominator = false, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        Guard.NonNegative(smooth, nameof(smooth));
        var (p, y) = Rows(input, target);
        var intersection = (p * y).sum(1);
        var denominator = squaredDenominator ? (p * p).sum(1) + (y * y).sum(1) : p.sum(1) + y.sum(1);
        return LossReduction.Reduce(1 - Ratio(2 * intersection + smooth, denominator + smooth), reduction, sampleWeights);
    }

    /// <summary>Input and target as (N, M) rows.</summary>
    internal static (Tensor P, Tensor Y) Rows(Tensor input, Tensor target) =>
        input.dim() == 1 ? (input.unsqueeze(1), target.unsqueeze(1)) : (input.flatten(1), target.flatten(1));

    /// <summary>a/b with 0/0 read as 1 (an empty prediction of an empty target is a perfect score).</summary>
    internal static Tensor Ratio(Tensor numerator, Tensor denominator)
    {
        var empty = denominator == 0;
        var safe = torch.where(empty, torch.ones_like(denominator), denominator);
        return torch.where(empty, torch.ones_like(numerator), numerator / safe);
    }
}
