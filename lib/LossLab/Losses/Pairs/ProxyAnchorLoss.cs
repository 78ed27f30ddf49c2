using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Proxy-Anchor loss (Kim et al., CVPR 2020, arXiv:2003.13911): with one learnable proxy p per class, s = cosine
/// similarity, P⁺ the proxies that have positives in the batch, X_p⁺ / X_p⁻ the batch samples of / not of p's class,
/// L = (1/|P⁺|)·Σ_{p∈P⁺} log(1 + Σ_{x∈X_p⁺} e^{−α(s(x,p) − δ)}) + (1/|P|)·Σ_{p∈P} log(1 + Σ_{x∈X_p⁻} e^{α(s(x,p) + δ)}).
/// Paper and pytorch-metric-learning defaults: δ = 0.1, α = 32; proxies Kaiming-normal (fan-out).</summary>
public sealed class ProxyAnchorLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter proxies;

    /// <param name="numClasses">Number of classes C (one proxy each).</param>
    /// <param name="embeddingSize">Embedding size D.</param>
    /// <param name="margin">δ (0.1).</param>
    /// <param name="alpha">α &gt; 0 (32).</param>
    /// <param name="dtype">Proxy dtype (float32).</param>
    public ProxyAnchorLoss(long numClasses, long embeddingSize, double margin = 0.1, double alpha = 32, ScalarType dtype = ScalarType.Float32)
        : base(nameof(ProxyAnchorLoss))
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be positive.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be positive.");
        Margin = double.IsFinite(margin) ? margin : throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be finite.");
        Alpha = Guard.Positive(alpha, nameof(alpha));
        proxies = new Parameter(torch.randn(numClasses, embeddingSize, dtype: dtype) * Math.Sqrt(2.0 / numClasses));
        RegisterComponents();
    }

    /// <summary>δ.</summary>
    public double Margin { get; }
    /// <summary>α.</summary>
    public double Alpha { get; }
    /// <summary>The (C, D) proxies.</summary>
    public Parameter Proxies => proxies;

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels) => PairLossFunctions.ProxyAnchor(embeddings, labels, proxies, Margin, Alpha);
}

public static partial class PairLossFunctions
{
    /// <summary>Proxy-Anchor loss with the given (C, D) proxies (see <see cref="ProxyAnchorLoss"/>).</summary>
    public static Tensor ProxyAnchor(Tensor embeddings, Tensor labels, Tensor proxies, double margin = 0.1, double alpha = 32)
    {
        CheckProxyInputs(embeddings, labels, proxies);
        var cos = new Distances.CosineSimilarity().Pairwise(embeddings, proxies.to_type(embeddings.dtype));        // (B, C)
        var pos = nn.functional.one_hot(labels.to_type(ScalarType.Int64), proxies.shape[0]).to_type(ScalarType.Bool);
        var neg = pos.logical_not();
        var posTerm = MaskedLogSumExp(-alpha * (cos - margin), pos, 0, addOne: true);
        var negTerm = MaskedLogSumExp(alpha * (cos + margin), neg, 0, addOne: true);
        var withPositives = pos.any(0).sum().clamp_min(1).to_type(embeddings.dtype);
        return posTerm.sum() / withPositives + negTerm.sum() / proxies.shape[0];
    }
}
