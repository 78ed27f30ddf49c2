using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Coverage (pass@N) loss (Chen, Raventós, Cheng, Ganguli, Druckmann, 2025, "Rethinking Fine-Tuning when Scaling Test-Time Compute: Limiting
/// Confidence Improves Mathematical Reasoning", arXiv:2502.07154): ℓ = −log(1 − (1 − p_y)^N), the negative log of the
/// probability that at least one of N independent samples is correct. N = 1 is cross-entropy; larger N stops rewarding
/// confidence once p_y is large, limiting over-confidence.
/// </summary>
/// <remarks>Computed as −log(−expm1(N·log(1 − p_y))) with log(1 − p_y) = logsumexp_{k≠y} z_k − logsumexp_k z_k.</remarks>
public sealed class CoverageLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="samples">N ≥ 1, the number of attempts (shortlist: 16).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public CoverageLoss(int samples = 16, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(CoverageLoss))
    {
        Samples = samples >= 1 ? samples : throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        Reduction = reduction;
    }

    /// <summary>N.</summary>
    public int Samples { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.Coverage(input, target, Samples, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Coverage loss −log(1 − (1 − p_y)^N); see <see cref="CoverageLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="samples">N ≥ 1 attempts.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Coverage(Tensor input, Tensor target, int samples = 16, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "samples must be at least 1.");
        var oneHot = nn.functional.one_hot(target.to_type(ScalarType.Int64), input.shape[1]).to_type(ScalarType.Bool);
        var logMiss = input.masked_fill(oneHot, TorchScalars.NegativeInfinity).logsumexp(1) - input.logsumexp(1);   // log(1 − p_y)
        var perSample = -(-(samples * logMiss).expm1()).log();
        return LossReduction.Reduce(perSample, reduction, sampleWeights);
    }
}
