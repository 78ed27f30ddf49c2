using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Auxiliary logit z-loss (Chowdhery et al., PaLM, 2022, arXiv:2204.02311): λ·(log Σ_k e^{z_k})², which keeps the
/// softmax normaliser near 1. Added to the task loss; the target is not used. Not the spherical <see cref="ZLoss"/>.
/// </summary>
public sealed class LogitZLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the penalty.</summary>
    /// <param name="weight">λ ≥ 0 (PaLM: 1e-4).</param>
    /// <param name="reduction">How per-sample penalties are combined.</param>
    public LogitZLoss(double weight = 1e-4, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(LogitZLoss))
    {
        Weight = Guard.NonNegative(weight, nameof(weight));
        Reduction = reduction;
    }

    /// <summary>λ.</summary>
    public double Weight { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => LossFunctions.LogitZ(input, Weight, null, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>λ·(log Σ_k e^{z_k})² per row of (N, C) logits; see <see cref="LogitZLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="weight">λ ≥ 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample penalties are combined.</param>
    public static Tensor LogitZ(Tensor input, double weight = 1e-4, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.Rank(input, 2, nameof(input));
        Guard.Floating(input, nameof(input));
        Guard.NonNegative(weight, nameof(weight));
        return LossReduction.Reduce(weight * input.logsumexp(1).square(), reduction, sampleWeights);
    }
}
