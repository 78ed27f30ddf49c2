using LossLab.Distances;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>Proxy-NCA (Movshovitz-Attias et al., ICCV 2017, arXiv:1703.07464): one learnable proxy per class and
/// ℓ_i = −log[exp(−σ·d(x_i, p_{y_i})) / Σ_c exp(−σ·d(x_i, p_c))], d = squared Euclidean distance between L2-normalised
/// embedding and proxy, σ the softmax scale; averaged over the batch. pytorch-metric-learning's defaults: σ = 1, proxies
/// drawn from N(0, 1).</summary>
/// <remarks>pytorch-metric-learning drops samples whose probability underflows to exactly 0; the log-softmax form used here
/// keeps them (finite loss). The values agree whenever no probability underflows.</remarks>
public sealed class ProxyNcaLoss : torch.nn.Module<Tensor, Tensor, Tensor>
{
    readonly Parameter proxies;

    /// <param name="numClasses">Number of classes C (one proxy each).</param>
    /// <param name="embeddingSize">Embedding size D.</param>
    /// <param name="softmaxScale">σ &gt; 0 (1).</param>
    /// <param name="dtype">Proxy dtype (float32).</param>
    public ProxyNcaLoss(long numClasses, long embeddingSize, double softmaxScale = 1, ScalarType dtype = ScalarType.Float32)
        : base(nameof(ProxyNcaLoss))
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be positive.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "embeddingSize must be positive.");
        SoftmaxScale = Guard.Positive(softmaxScale, nameof(softmaxScale));
        proxies = new Parameter(torch.randn(numClasses, embeddingSize, dtype: dtype));
        RegisterComponents();
    }

    /// <summary>σ.</summary>
    public double SoftmaxScale { get; }
    /// <summary>The (C, D) proxies.</summary>
    public Parameter Proxies => proxies;

    /// <inheritdoc />
    public override Tensor forward(Tensor embeddings, Tensor labels) => PairLossFunctions.ProxyNca(embeddings, labels, proxies, SoftmaxScale);
}

public static partial class PairLossFunctions
{
    /// <summary>Proxy-NCA with the given (C, D) proxies (see <see cref="ProxyNcaLoss"/>).</summary>
    public static Tensor ProxyNca(Tensor embeddings, Tensor labels, Tensor proxies, double softmaxScale = 1)
    {
        CheckProxyInputs(embeddings, labels, proxies);
        var d = LpDistance.SquaredEuclidean(normalize: true).Pairwise(embeddings, proxies.to_type(embeddings.dtype));
        return nn.functional.cross_entropy(-softmaxScale * d, labels.to_type(ScalarType.Int64));
    }

    internal static void CheckProxyInputs(Tensor embeddings, Tensor labels, Tensor proxies)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        if (proxies.dim() != 2 || proxies.shape[1] != embeddings.shape[1])
            throw new ArgumentException(
                $"embeddings must have the proxies' embedding size: embeddings is {Guard.Shape(embeddings)}, proxies are {Guard.Shape(proxies)}.",
                nameof(embeddings));
        Guard.LabelRange(labels, proxies.shape[0], nameof(labels));
    }
}
