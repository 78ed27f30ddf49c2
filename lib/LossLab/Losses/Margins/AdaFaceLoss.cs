using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Margins;

/// <summary>AdaFace, quality-adaptive margin (Kim, Jain and Liu, CVPR 2022, arXiv:2204.00964). The feature norm ‖z‖ stands
/// for image quality: ẑ = clip(h·(‖z‖ − μ)/(σ + ε), −1, 1) with μ, σ exponential moving averages (rate α) of the batch mean
/// and standard deviation of the (detached, clipped to [0.001, 100]) norms. Target logit
/// s·(cos(clip(θ_y + g_angle, ε, π − ε)) − g_add), g_angle = −m·ẑ, g_add = m·ẑ + m: ArcFace-like for low-quality samples,
/// CosFace-like for high-quality ones. All cosines are clamped to [−1 + ε, 1 − ε]. Paper: m = 0.4, h = 0.333, s = 64,
/// α = 0.01, ε = 10⁻³; μ and σ start at 20 and 100 as in the authors' code. The statistics update only in training mode.</summary>
public sealed class AdaFaceLoss : MarginSoftmaxLoss
{
    const double Eps = 1e-3;
    readonly Tensor runningMean;
    readonly Tensor runningStd;

    /// <param name="numClasses">C.</param>
    /// <param name="embeddingSize">D.</param>
    /// <param name="margin">m ≥ 0 (0.4).</param>
    /// <param name="h">h &gt; 0, the concentration of ẑ (0.333).</param>
    /// <param name="scale">s &gt; 0 (64).</param>
    /// <param name="momentum">α ∈ (0, 1], the EMA rate of the norm statistics (0.01).</param>
    /// <param name="reduction">Reduction (mean).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public AdaFaceLoss(long numClasses, long embeddingSize, double margin = 0.4, double h = 0.333, double scale = 64,
        double momentum = 0.01, nn.Reduction reduction = nn.Reduction.Mean, ScalarType dtype = ScalarType.Float32)
        : base(nameof(AdaFaceLoss), numClasses, embeddingSize, scale, reduction, dtype)
    {
        Margin = Guard.NonNegative(margin, nameof(margin));
        H = Guard.Positive(h, nameof(h));
        Momentum = momentum > 0 && momentum <= 1 ? momentum
            : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must lie in (0, 1].");
        runningMean = torch.tensor(20.0, dtype: ScalarType.Float64);
        runningStd = torch.tensor(100.0, dtype: ScalarType.Float64);
        register_buffer("running_mean", runningMean);
        register_buffer("running_std", runningStd);
    }

    /// <summary>m.</summary>
    public double Margin { get; }
    /// <summary>h.</summary>
    public double H { get; }
    /// <summary>α.</summary>
    public double Momentum { get; }
    /// <summary>μ, the running mean of feature norms.</summary>
    public double RunningMean => runningMean.item<double>();
    /// <summary>σ, the running standard deviation of feature norms.</summary>
    public double RunningStd => runningStd.item<double>();

    /// <summary>ẑ for each row, using the current statistics.</summary>
    public Tensor NormalizedQuality(Tensor embeddings)
    {
        var norms = embeddings.detach().norm(1).clamp(0.001, 100);
        return (H * (norms - RunningMean) / (RunningStd + Eps)).clamp(-1, 1);
    }

    /// <inheritdoc />
    protected override Tensor PrepareCosine(Tensor cosine) => cosine.clamp(-1 + Eps, 1 - Eps);

    /// <inheritdoc />
    protected override Tensor TargetCosine(Tensor targetCosine, Tensor embeddings)
    {
        if (training)
            using (torch.no_grad())
            {
                var norms = embeddings.detach().norm(1).clamp(0.001, 100).to_type(ScalarType.Float64);
                var std = norms.shape[0] > 1 ? norms.std() : torch.zeros_like(runningStd);
                runningMean.mul_(1 - Momentum).add_(norms.mean() * Momentum);
                runningStd.mul_(1 - Momentum).add_(std * Momentum);
            }
        var z = NormalizedQuality(embeddings).to_type(targetCosine.dtype);
        var theta = targetCosine.acos();
        var angle = (theta - Margin * z).clamp(Eps, Math.PI - Eps);
        return angle.cos() - (Margin * z + Margin);
    }
}
