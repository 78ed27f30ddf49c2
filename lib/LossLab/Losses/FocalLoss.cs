using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Softmax focal loss (Lin, Goyal, Girshick, He, Dollár, ICCV 2017, arXiv:1708.02002): ℓ = −α_y·(1 − p_y)^γ·log p_y,
/// p = softmax(z). α is an optional per-class weight (α-balanced form; class-balanced focal uses
/// <see cref="ClassBalancedWeights"/>). γ = 0 and no α is cross-entropy. Mean reduction averages over samples (Σ s_i ℓ_i/Σ s_i).
/// </summary>
/// <remarks>LDAM-DRW's <c>FocalLoss</c> uses γ = 1 and computes p from the class-weighted CE; here p is always the model's
/// probability and α multiplies the loss.</remarks>
public sealed class FocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    readonly double[]? alpha;

    /// <summary>Creates the loss.</summary>
    /// <param name="gamma">γ ≥ 0 (paper: 2).</param>
    /// <param name="alpha">α per class, or null for none.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public FocalLoss(double gamma = 2.0, double[]? alpha = null, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(FocalLoss))
    {
        Gamma = Guard.NonNegative(gamma, nameof(gamma));
        this.alpha = LossReduction.CheckClassArray(alpha, nameof(alpha));
        Reduction = reduction;
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        var a = alpha is null ? null : ClassTensor(alpha, input, nameof(alpha));
        return LossFunctions.Focal(input, target, Gamma, a, sampleWeights, Reduction);
    }

    internal static Tensor ClassTensor(double[] values, Tensor input, string name)
    {
        if (values.Length != input.shape[1])
            throw new ArgumentException($"{name} holds {values.Length} values but input has {input.shape[1]} classes (shape {Guard.Shape(input)}).", name);
        return LossReduction.ToTensor(values, input);
    }
}

public static partial class LossFunctions
{
    /// <summary>Softmax focal loss −α_y·(1 − p_y)^γ·log p_y; see <see cref="FocalLoss"/>.</summary>
    /// <param name="input">Logits, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="alpha">Optional (C) class weights α.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Focal(Tensor input, Tensor target, double gamma = 2.0, Tensor? alpha = null, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        Guard.NonNegative(gamma, nameof(gamma));
        LossReduction.CheckClassWeights(alpha, input.shape[1], nameof(alpha));
        var index = target.to_type(ScalarType.Int64).unsqueeze(1);
        var logpt = input.log_softmax(1).gather(1, index).squeeze(1);
        var perSample = -FocusingWeight(logpt, gamma) * logpt;
        if (alpha is not null) perSample = perSample * alpha.gather(0, index.squeeze(1));
        return LossReduction.Reduce(perSample, reduction, sampleWeights);
    }

    /// <summary>(1 − p)^γ from log p, with 1 − p = −expm1(log p) for accuracy near p = 1.</summary>
    internal static Tensor FocusingWeight(Tensor logp, double gamma) =>
        gamma == 0 ? torch.ones_like(logp) : (-logp.expm1()).clamp_min(0).pow(gamma);
}
