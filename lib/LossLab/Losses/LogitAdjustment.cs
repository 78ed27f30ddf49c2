using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Logit adjustment (Menon, Jayasumana, Rawat, Jain, Veit, Kumar, ICLR 2021, arXiv:2007.07314). Post-hoc:
/// predict argmax_y f_y(x) − τ·log π_y. As a loss (<see cref="LogitAdjustedCrossEntropyLoss"/>): CE on f_y(x) + τ·log π_y.
/// π_y = n_y/Σ_k n_k are the training label priors.
/// </summary>
public static class LogitAdjustment
{
    /// <summary>log π_c = log(n_c/Σ_k n_k) (CIFAR-10-LT, ρ = 100: −0.9087 … −5.5139).</summary>
    public static double[] LogPriors(IReadOnlyList<long> classCounts)
    {
        var counts = LossReduction.CheckCounts(classCounts);
        double total = counts.Sum(n => (double)n);
        return counts.Select(n => Math.Log(n / total)).ToArray();
    }

    /// <summary>Post-hoc adjusted logits f(x) − τ·log π (argmax of these is the balanced-error-optimal rule at τ = 1).</summary>
    /// <param name="logits">f(x), (N, C).</param>
    /// <param name="logPriors">log π, C values.</param>
    /// <param name="tau">τ ≥ 0 (paper: 1).</param>
    public static Tensor PostHoc(Tensor logits, IReadOnlyList<double> logPriors, double tau = 1.0)
    {
        Guard.Rank(logits, 2, nameof(logits));
        Guard.Floating(logits, nameof(logits));
        ArgumentNullException.ThrowIfNull(logPriors);
        if (logPriors.Count != logits.shape[1])
            throw new ArgumentException($"logPriors must hold one value per class ({logits.shape[1]}); got {logPriors.Count}.", nameof(logPriors));
        Guard.NonNegative(tau, nameof(tau));
        return logits - tau * torch.tensor(logPriors.ToArray(), logits.dtype, logits.device).unsqueeze(0);
    }
}

/// <summary>
/// Logit-adjusted cross-entropy (Menon et al., ICLR 2021, arXiv:2007.07314): ℓ = −log softmax(f(x) + τ·log π)_y, the
/// training-time form of <see cref="LogitAdjustment"/>. With τ = 1 it equals <see cref="BalancedSoftmaxLoss"/>.
/// </summary>
public sealed class LogitAdjustedCrossEntropyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[] logPriors;

    /// <summary>Creates the loss from training class counts.</summary>
    /// <param name="classCounts">n_c &gt; 0.</param>
    /// <param name="tau">τ ≥ 0 (paper: 1).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public LogitAdjustedCrossEntropyLoss(IReadOnlyList<long> classCounts, double tau = 1.0, nn.Reduction reduction = nn.Reduction.Mean)
        : base(nameof(LogitAdjustedCrossEntropyLoss))
    {
        logPriors = LogitAdjustment.LogPriors(classCounts);
        Tau = Guard.NonNegative(tau, nameof(tau));
        Reduction = reduction;
    }

    /// <summary>τ.</summary>
    public double Tau { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <summary>log π per class.</summary>
    public double[] LogPriors => (double[])logPriors.Clone();

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        if (input.shape[1] != logPriors.Length)
            throw new ArgumentException($"input has {input.shape[1]} classes but the loss was built for {logPriors.Length} (shape {Guard.Shape(input)}).", nameof(input));
        return LossFunctions.LogitAdjustedCrossEntropy(input, target, LossReduction.ToTensor(logPriors, input), Tau, sampleWeights, Reduction);
    }
}

public static partial class LossFunctions
{
    /// <summary>Logit-adjusted CE: CE(z + τ·log π, y); see <see cref="LogitAdjustedCrossEntropyLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="logPriors">log π, (C).</param>
    /// <param name="tau">τ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor LogitAdjustedCrossEntropy(Tensor input, Tensor target, Tensor logPriors, double tau = 1.0,
        Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        LossReduction.CheckClassWeights(logPriors, input.shape[1], nameof(logPriors));
        Guard.NonNegative(tau, nameof(tau));
        return CrossEntropy(input + tau * logPriors.unsqueeze(0), target, null, sampleWeights, 0, reduction);
    }
}
