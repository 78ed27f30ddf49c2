using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Distances;

/// <summary>Cosine similarity: s(x, y) = xᵀy / (‖x‖·‖y‖), computed as the dot product of L2-normalised rows
/// (a zero row stays zero). A similarity: <see cref="IsSimilarity"/> is true.</summary>
public sealed class CosineSimilarity : IDistance
{
    /// <inheritdoc />
    public bool IsSimilarity => true;

    /// <inheritdoc />
    public Tensor Pairwise(Tensor query, Tensor reference)
    {
        var q = nn.functional.normalize(query, p: 2, dim: 1);
        var r = ReferenceEquals(query, reference) ? q : nn.functional.normalize(reference, p: 2, dim: 1);
        return q.matmul(r.t());
    }

    /// <inheritdoc />
    public Tensor Paired(Tensor a, Tensor b) =>
        (nn.functional.normalize(a, p: 2, dim: 1) * nn.functional.normalize(b, p: 2, dim: 1)).sum(1);
}
