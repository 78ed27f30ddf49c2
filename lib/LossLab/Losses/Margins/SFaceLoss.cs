using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>SFace, sigmoid-constrained hypersphere loss (Zhong et al., IEEE TIP 2021, arXiv:2205.12010):
/// L = mean_i[−[w_intra(θ_y)]_sg·s·cos θ_y + Σ_{j≠y} [w_inter(θ_j)]_sg·s·cos θ_j], w_intra(θ) = 1/(1 + e^{−k(θ − a)}),
/// w_inter(θ) = 1/(1 + e^{k(θ − b)}), [·]_sg = stop-gradient: the pull on the target and the push on the others fade out
/// smoothly instead of growing without bound. Authors' defaults: s = 64, k = 80, a = 0.8, b = 1.22 (radians).</summary>
public sealed class SFaceLoss : MarginSoftmaxLoss
{
    /// <param name="numClasses">C.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="scale">s &gt; 0 (64).</param>
    /// <param name="k">k &gt; 0, sigmoid slope (80).</param>
    /// <param name="a">a, intra-class sigmoid centre in radians (0.8).</param>
    /// <param name="b">b, inter-class sigmoid centre in radians (1.22).</param>
    /// <param name="reduction">Reduction (mean).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public SFaceLoss(long numClasses, long embeddingSize, double scale = 64, double k = 80, double a = 0.8, double b = 1.22,
        nn.Reduction reduction = nn.Reduction.Mean, ScalarType dtype = ScalarType.Float32)
        : base(nameof(SFaceLoss), numClasses, embeddingSize, scale, reduction, dtype)
    {
        K = Guard.Positive(k, nameof(k));
        A = Guard.InRange(a, 0, Math.PI, nameof(a));
        B = Guard.InRange(b, 0, Math.PI, nameof(b));
    }

    /// <summary>k.</summary>
    public double K { get; }
    /// <summary>a.</summary>
    public double A { get; }
    /// <summary>b.</summary>
    public double B { get; }

    /// <inheritdoc />
    protected override Tensor TargetCosine(Tensor targetCosine, Tensor embeddings) => targetCosine;

    /// <summary>The per-sample SFace loss, reduced.</summary>
    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        CheckInputs(embeddings, labels);
        var cos = Cosine(embeddings);
        var isTarget = nn.functional.one_hot(labels.to_type(ScalarType.Int64), NumClasses).to_type(ScalarType.Bool);
        var theta = cos.detach().clamp(-1, 1).acos();
        var wIntra = torch.sigmoid(K * (theta - A));
        var wInter = torch.sigmoid(-K * (theta - B));
        var per = torch.where(isTarget, -wIntra * Scale * cos, wInter * Scale * cos).sum(1);
        return Reduction switch { nn.Reduction.None => per, nn.Reduction.Sum => per.sum(), _ => per.mean() };
    }
}
