using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Jaccard metric loss (Wang, Blaschko, NeurIPS 2023, arXiv:2302.05666), per sample:
/// JML(x, y) = 1 − (‖x‖₁ + ‖y‖₁ − ‖x − y‖₁)/(‖x‖₁ + ‖y‖₁ + ‖x − y‖₁), for x, y ∈ [0, 1]. Equal to the soft Jaccard
/// loss 1 − Σxy/(Σx + Σy − Σxy) when y is hard, and a metric on [0, 1]^n, so it is zero exactly when x = y.
/// </summary>
public sealed class JaccardMetricLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss (0/0 counts as loss 0).</summary>
    public JaccardMetricLoss(nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(JaccardMetricLoss)) => Reduction = reduction;

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.JaccardMetric(input, target, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Jaccard metric loss; see <see cref="JaccardMetricLoss"/>.</summary>
    /// <param name="input">Probabilities x in [0, 1], (N, …).</param>
    /// <param name="target">Soft or hard labels y in [0, 1], same shape.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor JaccardMetric(Tensor input, Tensor target, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        var (x, y) = Rows(input, target);
        var (sum, diff) = (x.sum(1) + y.sum(1), (x - y).abs().sum(1));
        return LossReduction.Reduce(1 - Ratio(sum - diff, sum + diff), reduction, sampleWeights);
    }
}
