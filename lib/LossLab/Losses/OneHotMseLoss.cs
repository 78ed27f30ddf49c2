using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// Square loss on one-hot targets, in the rescaled form of Hui and Belkin (ICLR 2021, arXiv:2006.07322):
/// ℓ = k·(f_y − M)² + Σ_{j≠y} f_j², summed over classes. k = M = 1 is ‖f − e_y‖², the MSE loss of neural-collapse
/// studies (Han, Papyan, Donoho, ICLR 2022, arXiv:2106.02073) up to a factor; torch's <c>mse_loss</c> on one-hot
/// targets is this divided by C.
/// </summary>
public sealed class OneHotMseLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="rescale">k &gt; 0 (1: plain square loss; Hui and Belkin use k up to 15 for many classes).</param>
    /// <param name="target">M &gt; 0, the value of the correct logit's target (1: plain; up to 30 for many classes).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public OneHotMseLoss(double rescale = 1.0, double target = 1.0, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(OneHotMseLoss))
    {
        Rescale = Guard.Positive(rescale, nameof(rescale));
        TargetValue = Guard.Positive(target, nameof(target));
        Reduction = reduction;
    }

    /// <summary>k.</summary>
    public double Rescale { get; }

    /// <summary>M.</summary>
    public double TargetValue { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) =>
        LossFunctions.OneHotMse(input, target, Rescale, TargetValue, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Rescaled one-hot square loss; see <see cref="OneHotMseLoss"/>.</summary>
    /// <param name="input">Outputs f, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="rescale">k &gt; 0.</param>
    /// <param name="targetValue">M &gt; 0.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor OneHotMse(Tensor input, Tensor target, double rescale = 1.0, double targetValue = 1.0, Tensor? sampleWeights = null,
        nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        Guard.Positive(rescale, nameof(rescale));
        Guard.Positive(targetValue, nameof(targetValue));
        var oneHot = nn.functional.one_hot(target.to_type(ScalarType.Int64), input.shape[1]).to(input.dtype);
        var weight = 1 + (rescale - 1) * oneHot;
        var perSample = (weight * (input - targetValue * oneHot).square()).sum(1);
        return LossReduction.Reduce(perSample, reduction, sampleWeights);
    }
}
