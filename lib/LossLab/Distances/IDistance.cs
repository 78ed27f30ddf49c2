using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Distances;

/// <summary>A pairwise distance or similarity between embeddings, as in pytorch-metric-learning's distances. A loss body is
/// written once with <see cref="Margin(Tensor, Tensor)"/>, so it serves both kinds.</summary>
public interface IDistance
{
    /// <summary>True for similarities (larger means closer: cosine, dot product), false for distances.</summary>
    bool IsSimilarity { get; }

    /// <summary>The (B, R) matrix between every row of <paramref name="query"/> (B, D) and of <paramref name="reference"/> (R, D).</summary>
    Tensor Pairwise(Tensor query, Tensor reference);

    /// <summary>The N values between matching rows of <paramref name="a"/> and <paramref name="b"/>, both (N, D).</summary>
    Tensor Paired(Tensor a, Tensor b);

    /// <summary>How far <paramref name="x"/> is on the "far" side of <paramref name="y"/>: x − y for a distance, y − x for a
    /// similarity (pytorch-metric-learning's <c>margin(x, y)</c>).</summary>
    Tensor Margin(Tensor x, Tensor y) => IsSimilarity ? y - x : x - y;

    /// <summary><see cref="Margin(Tensor, Tensor)"/> with a scalar second argument.</summary>
    Tensor Margin(Tensor x, double y) => IsSimilarity ? y - x : x - y;

    /// <summary><see cref="Margin(Tensor, Tensor)"/> with a scalar first argument.</summary>
    Tensor Margin(double x, Tensor y) => IsSimilarity ? y - x : x - y;
}
