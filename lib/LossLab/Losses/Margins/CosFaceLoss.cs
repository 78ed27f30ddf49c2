using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>CosFace / large-margin cosine loss (Wang et al., CVPR 2018, arXiv:1801.09414): target logit s·(cos θ_y − m).
/// pytorch-metric-learning's defaults m = 0.35, s = 64.</summary>
public sealed class CosFaceLoss : MarginSoftmaxLoss
{
    /// <param name="numClasses">C.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="margin">m ≥ 0 (0.35).</param>
    /// <param name="scale">s &gt; 0 (64).</param>
    /// <param name="reduction">Reduction (mean).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public CosFaceLoss(long numClasses, long embeddingSize, double margin = 0.35, double scale = 64,
        nn.Reduction reduction = nn.Reduction.Mean, ScalarType dtype = ScalarType.Float32)
        : base(nameof(CosFaceLoss), numClasses, embeddingSize, scale, reduction, dtype)
    {
        Margin = Guard.NonNegative(margin, nameof(margin));
    }

    /// <summary>m.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    protected override Tensor TargetCosine(Tensor targetCosine, Tensor embeddings) => targetCosine - Margin;
}
