using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Circle loss with class-level labels (Sun et al., CVPR 2020, arXiv:2002.10857): with one learnable proxy per
/// class and s_j = cos(x, w_j), one within-class similarity s_p = s_y and C − 1 between-class ones:
/// L = log[1 + Σ_{j≠y} exp(γ·α_n^j·(s_j − Δ_n)) · exp(−γ·α_p·(s_p − Δ_p))], α_p = [1 + m − s_p]₊, α_n = [s_n + m]₊ held constant,
/// Δ_p = 1 − m, Δ_n = m: a softmax cross-entropy over re-weighted logits. Averaged over the batch. Paper: m = 0.25,
/// γ = 256 (face recognition).</summary>
public sealed class ClassLevelCircleLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter weight;

    /// <param name="numClasses">Number of classes C.</param>
    /// <param name="embeddingSize">Embedding size D.</param>
    /// <param name="margin">m ∈ [0, 1] (0.25).</param>
    /// <param name="gamma">γ &gt; 0 (256).</param>
    /// <param name="dtype">Weight dtype (float32).</param>
    public ClassLevelCircleLoss(long numClasses, long embeddingSize, double margin = 0.25, double gamma = 256, ScalarType dtype = ScalarType.Float32)
        : base(nameof(ClassLevelCircleLoss))
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be positive.");
        Margin = Guard.InRange(margin, 0, 1, nameof(margin));
        Gamma = Guard.Positive(gamma, nameof(gamma));
        weight = new Parameter(torch.randn(numClasses, embeddingSize, dtype: dtype));
        RegisterComponents();
    }

    /// <summary>m.</summary>
    public double Margin { get; }
    /// <summary>γ.</summary>
    public double Gamma { get; }
    /// <summary>The (C, D) class weights (proxies).</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels) => PairLossFunctions.ClassLevelCircle(embeddings, labels, weight, Margin, Gamma);
}

public static partial class PairLossFunctions
{
    /// <summary>Class-level circle loss with the given (C, D) class weights (see <see cref="ClassLevelCircleLoss"/>).</summary>
    public static Tensor ClassLevelCircle(Tensor embeddings, Tensor labels, Tensor weight, double margin = 0.25, double gamma = 256)
    {
        CheckProxyInputs(embeddings, labels, weight);
        var y = labels.to_type(ScalarType.Int64);
        var s = new Distances.CosineSimilarity().Pairwise(embeddings, weight.to_type(embeddings.dtype));
        var sd = s.detach();
        var isTarget = nn.functional.one_hot(y, weight.shape[0]).to_type(ScalarType.Bool);
        var targetLogit = gamma * (1 + margin - sd).relu() * (s - (1 - margin));
        var otherLogit = gamma * (sd + margin).relu() * (s - margin);
        return nn.functional.cross_entropy(torch.where(isTarget, targetLogit, otherLogit), y);
    }
}
