using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Dice semimetric loss (Wang, Popordanoska, Bertels, Lemmens, Blaschko, MICCAI 2023, arXiv:2303.16296), per sample:
/// DML(x, y) = 1 − (‖x‖₁ + ‖y‖₁ − ‖x − y‖₁)/(‖x‖₁ + ‖y‖₁), for x, y ∈ [0, 1]. Equal to the soft Dice loss
/// 1 − 2Σxy/(Σx + Σy) when y is hard, and zero exactly when x = y, also for soft labels (where soft Dice is not).
/// </summary>
public sealed class DiceMetricLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss (0/0, an empty prediction of an empty target, counts as loss 0).</summary>
    public DiceMetricLoss(nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(DiceMetricLoss)) => Reduction = reduction;

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.DiceMetric(input, target, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Dice semimetric loss; see <see cref="DiceMetricLoss"/>.</summary>
    /// <param name="input">Probabilities x in [0, 1], (N, …).</param>
    /// <param name="target">Soft or hard labels y in [0, 1], same shape.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor DiceMetric(Tensor input, Tensor target, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        var (x, y) = Rows(input, target);
        var (sum, diff) = (x.sum(1) + y.sum(1), (x - y).abs().sum(1));
        return LossReduction.Reduce(1 - Ratio(sum - diff, sum), reduction, sampleWeights);
    }
}
