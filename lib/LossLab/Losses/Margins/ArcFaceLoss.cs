using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>ArcFace / additive angular margin (Deng et al., CVPR 2019, arXiv:1801.07698): target logit s·cos(θ_y + m),
/// computed as cos θ·cos m − sin θ·sin m. Where θ_y + m would pass π the logit stops decreasing; like
/// pytorch-metric-learning and InsightFace, θ_y &gt; π − m uses cos θ_y − m·sin m instead; with <c>easyMargin</c> the margin is
/// applied only where cos θ_y &gt; 0. pytorch-metric-learning's defaults: m = 28.6° (≈ 0.5 rad, the paper's), s = 64.</summary>
public sealed class ArcFaceLoss : MarginSoftmaxLoss
{
    /// <param name="numClasses">C.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="margin">m in radians, in [0, π/2] (28.6° = 0.49916 rad).</param>
    /// <param name="scale">s &gt; 0 (64).</param>
    /// <param name="easyMargin">Apply the margin only where cos θ_y &gt; 0 (false).</param>
    /// <param name="reduction">Reduction (mean).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public ArcFaceLoss(long numClasses, long embeddingSize, double margin = 28.6 * Math.PI / 180, double scale = 64,
        bool easyMargin = false, nn.Reduction reduction = nn.Reduction.Mean, ScalarType dtype = ScalarType.Float32)
        : base(nameof(ArcFaceLoss), numClasses, embeddingSize, scale, reduction, dtype)
    {
        Margin = Guard.InRange(margin, 0, Math.PI / 2, nameof(margin));
        EasyMargin = easyMargin;
    }

    /// <summary>m (radians).</summary>
    public double Margin { get; }
    /// <summary>Whether the easy-margin rule is used.</summary>
    public bool EasyMargin { get; }

    /// <inheritdoc />
    protected override Tensor TargetCosine(Tensor targetCosine, Tensor embeddings)
    {
        var withMargin = targetCosine * Math.Cos(Margin) - Sine(targetCosine) * Math.Sin(Margin);
        return EasyMargin
            ? torch.where(targetCosine.gt(0), withMargin, targetCosine)
            : torch.where(targetCosine.gt(Math.Cos(Math.PI - Margin)), withMargin, targetCosine - Margin * Math.Sin(Margin));
    }
}
