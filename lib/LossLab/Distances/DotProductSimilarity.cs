using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Distances;

/// <summary>Dot-product similarity s(x, y) = xᵀy. Like pytorch-metric-learning's <c>DotProductSimilarity</c>, rows are
/// L2-normalised first unless <paramref name="normalize"/> is false (then it is the raw inner product).</summary>
/// <param name="normalize">Normalise rows to unit length before the product (pytorch-metric-learning's default: true).</param>
public sealed class DotProductSimilarity(bool normalize = true) : IDistance
{
    /// <summary>Whether rows are L2-normalised first.</summary>
    public bool Normalize { get; } = normalize;

    /// <inheritdoc />
    public bool IsSimilarity => true;

    /// <inheritdoc />
    public Tensor Pairwise(Tensor query, Tensor reference)
    {
        var q = Prepare(query);
        return q.matmul((ReferenceEquals(query, reference) ? q : Prepare(reference)).t());
    }

    /// <inheritdoc />
    public Tensor Paired(Tensor a, Tensor b) => (Prepare(a) * Prepare(b)).sum(1);

    Tensor Prepare(Tensor x) => Normalize ? nn.functional.normalize(x, p: 2, dim: 1) : x;
}
