using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>The confusion-matrix metric an <see cref="AnyLoss"/> optimises.</summary>
public enum AnyLossMetric
{
    /// <summary>F_β = (1 + β²)·TP / (β²·n₁ + Σ ŷ), i.e. (1 + β²)TP/((1 + β²)TP + β²FN + FP).</summary>
    FBeta,

    /// <summary>(TP + TN)/N.</summary>
    Accuracy,

    /// <summary>½·(TP/n₁ + TN/n₀).</summary>
    BalancedAccuracy,

    /// <summary>The authors' geometric-mean surrogate TP·TN/(n₁·n₀) = TPR·TNR (the square of the geometric mean).</summary>
    GeometricMean,
}

/// <summary>
/// AnyLoss (Han, Moniz, Chawla, KDD 2024, arXiv:2405.14745): a confusion-matrix metric made differentiable and used as a
/// loss, 1 − metric. Probabilities p of the positive class are pushed towards 0/1 by the amplifying approximation
/// ŷ = 1/(1 + e^{−L·(p − 0.5)}); then TP = Σ y·ŷ, FN = n₁ − TP, FP = Σ ŷ − TP, TN = N − n₁ − FP with n₁ = Σ y, n₀ = N − n₁.
/// The loss is set-level: one value for all elements of the input (a mini-batch), so it has no per-sample reduction.
/// </summary>
/// <remarks>As in the authors' code, a small constant s is added to the denominators (s = 1e-5 there), so a batch
/// without positives or negatives gives a finite loss. The authors treat L as a hyperparameter in [2, 70]; it has no
/// default here.</remarks>
public sealed class AnyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="amplification">L &gt; 0, the slope of the approximation function.</param>
    /// <param name="metric">The metric to maximise.</param>
    /// <param name="beta">β &gt; 0 for <see cref="AnyLossMetric.FBeta"/> (1: F1).</param>
    /// <param name="smooth">s ≥ 0 added to denominators (authors: 1e-5).</param>
    public AnyLoss(double amplification, AnyLossMetric metric = AnyLossMetric.FBeta, double beta = 1.0, double smooth = 1e-5) : base(nameof(AnyLoss))
    {
        Amplification = Guard.Positive(amplification, nameof(amplification));
        Metric = metric;
        Beta = Guard.Positive(beta, nameof(beta));
        Smooth = Guard.NonNegative(smooth, nameof(smooth));
    }

    /// <summary>L.</summary>
    public double Amplification { get; }

    /// <summary>The metric.</summary>
    public AnyLossMetric Metric { get; }

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <summary>s.</summary>
    public double Smooth { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => LossFunctions.Any(input, target, Amplification, Metric, Beta, Smooth);
}

public static partial class LossFunctions
{
    /// <summary>AnyLoss 1 − metric over all elements; see <see cref="AnyLoss"/>.</summary>
    /// <param name="input">Positive-class probabilities p in [0, 1], any shape.</param>
    /// <param name="target">Labels y in {0, 1} (soft values in [0, 1] are accepted), same shape.</param>
    /// <param name="amplification">L &gt; 0.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="beta">β &gt; 0 for F_β.</param>
    /// <param name="smooth">s ≥ 0 added to denominators.</param>
    public static Tensor Any(Tensor input, Tensor target, double amplification, AnyLossMetric metric = AnyLossMetric.FBeta, double beta = 1.0,
        double smooth = 1e-5)
    {
        LossReduction.CheckDense(input, target, inputIsProbability: true);
        Guard.Positive(amplification, nameof(amplification));
        Guard.Positive(beta, nameof(beta));
        Guard.NonNegative(smooth, nameof(smooth));
        var yHat = (amplification * (input - 0.5)).sigmoid();
        double n = input.numel();
        var n1 = target.sum();
        var n0 = n - n1;
        var tp = (target * yHat).sum();
        var predicted = yHat.sum();
        var fp = predicted - tp;
        var tn = n0 - fp;
        Tensor score = metric switch
        {
            AnyLossMetric.FBeta => (1 + beta * beta) * tp / (beta * beta * n1 + predicted + smooth),
            AnyLossMetric.Accuracy => (tp + tn) / (n + smooth),
            AnyLossMetric.BalancedAccuracy => (n0 * tp + n1 * tn) / (2 * n1 * n0 + smooth),
            AnyLossMetric.GeometricMean => tp * tn / (n1 * n0 + smooth),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
        return 1 - score;
    }
}
