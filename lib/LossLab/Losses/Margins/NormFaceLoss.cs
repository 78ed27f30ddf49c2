using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>NormFace, the normalised softmax (Wang et al., ACM MM 2017, arXiv:1704.06369): L = CE(s·cos θ, y), no margin.
/// s = 20, pytorch-metric-learning's <c>NormalizedSoftmaxLoss</c> temperature 0.05 as a scale.</summary>
public sealed class NormFaceLoss : MarginSoftmaxLoss
{
    /// <param name="numClasses">C.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="scale">s &gt; 0 (20).</param>
    /// <param name="reduction">Reduction (mean).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public NormFaceLoss(long numClasses, long embeddingSize, double scale = 20, nn.Reduction reduction = nn.Reduction.Mean,
        ScalarType dtype = ScalarType.Float32)
        : base(nameof(NormFaceLoss), numClasses, embeddingSize, scale, reduction, dtype) { }

    /// <inheritdoc />
    protected override Tensor TargetCosine(Tensor targetCosine, Tensor embeddings) => targetCosine;
}
