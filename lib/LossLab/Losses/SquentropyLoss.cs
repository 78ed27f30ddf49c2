using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Squentropy (Hui, Belkin, Wright, ICML 2023, arXiv:2302.03952): cross-entropy plus the average square of the incorrect
/// logits, ℓ = −log softmax(f)_y + (1/(C − 1))·Σ_{j≠y} f_j².
/// </summary>
public sealed class SquentropyLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    public SquentropyLoss(nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(SquentropyLoss)) => Reduction = reduction;

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.Squentropy(input, target, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Squentropy; see <see cref="SquentropyLoss"/>. Needs C ≥ 2.</summary>
    /// <param name="input">Logits f, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Squentropy(Tensor input, Tensor target, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        if (input.shape[1] < 2) throw new ArgumentException($"input must have at least 2 classes; got shape {Guard.Shape(input)}.", nameof(input));
        var oneHot = nn.functional.one_hot(target.to_type(ScalarType.Int64), input.shape[1]).to(input.dtype);
        var ce = CrossEntropy(input, target, null, null, 0, nn.Reduction.None);
        var square = (input.square() * (1 - oneHot)).sum(1) / (input.shape[1] - 1);
        return LossReduction.Reduce(ce + square, reduction, sampleWeights);
    }
}
