using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Balanced softmax (Ren, Yu, Sheng, Ma, Zhao, Yi, Li, NeurIPS 2020, arXiv:2007.10740):
/// ℓ = −log(n_y·e^{z_y} / Σ_k n_k·e^{z_k}) = CE(z + log n, y). Equal to logit-adjusted CE at τ = 1.
/// </summary>
public sealed class BalancedSoftmaxLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[] logCounts;

    /// <summary>Creates the loss from training class counts n_c &gt; 0.</summary>
    public BalancedSoftmaxLoss(IReadOnlyList<long> classCounts, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(BalancedSoftmaxLoss))
    {
        logCounts = LossReduction.CheckCounts(classCounts).Select(n => Math.Log(n)).ToArray();
        Reduction = reduction;
    }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        if (input.shape[1] != logCounts.Length)
            throw new ArgumentException($"input has {input.shape[1]} classes but the loss was built for {logCounts.Length} (shape {Guard.Shape(input)}).", nameof(input));
        return LossFunctions.BalancedSoftmax(input, target, LossReduction.ToTensor(logCounts, input), sampleWeights, Reduction);
    }
}

public static partial class LossFunctions
{
    /// <summary>Balanced softmax: CE(z + log n, y); see <see cref="BalancedSoftmaxLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="logCounts">log n_c, (C).</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor BalancedSoftmax(Tensor input, Tensor target, Tensor logCounts, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        LossReduction.CheckClassWeights(logCounts, input.shape[1], nameof(logCounts));
        return CrossEntropy(input + logCounts.unsqueeze(0), target, null, sampleWeights, 0, reduction);
    }
}
