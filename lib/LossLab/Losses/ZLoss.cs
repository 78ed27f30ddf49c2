using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses;

/// <summary>
/// The Z-loss of the spherical family (de Brébisson, Vincent, ICLR 2016 workshop, arXiv:1604.08859): standardise the
/// outputs over classes, z_k = (o_k − μ)/σ with μ = mean_k o_k and σ = sqrt(mean_k (o_k − μ)²), then
/// ℓ = (1/a)·softplus(a·(b − z_y)). Invariant to shifting and scaling the outputs. Not the auxiliary logit z-loss
/// (see <see cref="LogitZLoss"/>).
/// </summary>
/// <remarks>The paper tunes a and b per task (they trade top-1 against top-k), so they have no defaults here. σ is
/// floored at 1e-12 so constant outputs give z = 0 rather than NaN.</remarks>
public sealed class ZLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the loss.</summary>
    /// <param name="a">a &gt; 0, the softplus sharpness.</param>
    /// <param name="b">b, the target standardised score (finite).</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public ZLoss(double a, double b, nn.Reduction reduction = nn.Reduction.Mean) : base(nameof(ZLoss))
    {
        A = Guard.Positive(a, nameof(a));
        B = double.IsFinite(b) ? b : throw new ArgumentOutOfRangeException(nameof(b), b, "b must be finite.");
        Reduction = reduction;
    }

    /// <summary>a.</summary>
    public double A { get; }

    /// <summary>b.</summary>
    public double B { get; }

    /// <summary>The reduction.</summary>
    public nn.Reduction Reduction { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>The loss with per-sample weights s (N), or null.</summary>
    public Tensor forward(Tensor input, Tensor target, Tensor? sampleWeights) => LossFunctions.Z(input, target, A, B, sampleWeights, Reduction);
}

public static partial class LossFunctions
{
    /// <summary>Spherical Z-loss; see <see cref="ZLoss"/>.</summary>
    /// <param name="input">Outputs o, (N, C).</param>
    /// <param name="target">Labels, (N).</param>
    /// <param name="a">a &gt; 0.</param>
    /// <param name="b">b.</param>
    /// <param name="sampleWeights">Optional (N) weights.</param>
    /// <param name="reduction">How per-sample losses are combined.</param>
    public static Tensor Z(Tensor input, Tensor target, double a, double b, Tensor? sampleWeights = null, nn.Reduction reduction = nn.Reduction.Mean)
    {
        Guard.LogitsAndTargets(input, target, nameof(input), nameof(target));
        Guard.Positive(a, nameof(a));
        if (!double.IsFinite(b)) throw new ArgumentOutOfRangeException(nameof(b), b, "b must be finite.");
        var centred = input - input.mean(new long[] { 1 }, keepdim: true);
        var sigma = centred.square().mean(new long[] { 1 }, keepdim: true).clamp_min(1e-24).sqrt();
        var zy = (centred / sigma).gather(1, target.to_type(ScalarType.Int64).unsqueeze(1)).squeeze(1);
        return LossReduction.Reduce(nn.functional.softplus(a * (b - zy)) / a, reduction, sampleWeights);
    }
}
