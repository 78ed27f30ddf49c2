using LossLab.Distances;
using LossLab.Miners;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Losses.Pairs;

/// <summary>What a pair loss body sees: the (B, R) distance or similarity matrix, the positive and negative masks (from the
/// labels, or from mined tuples), the inputs and the mined tuples if any.</summary>
/// <param name="Matrix">(B, R) distances or similarities between the batch and the reference set.</param>
/// <param name="Positive">(B, R) boolean mask of positive pairs.</param>
/// <param name="Negative">(B, R) boolean mask of negative pairs.</param>
/// <param name="Distance">The distance that produced <paramref name="Matrix"/>.</param>
/// <param name="Embeddings">(B, D) batch embeddings.</param>
/// <param name="Labels">(B) batch labels.</param>
/// <param name="Tuples">The mined tuples, or null when all pairs of the labels are used.</param>
/// <param name="ReferenceEmbeddings">The separate reference set, or null when it is the batch.</param>
/// <param name="ReferenceLabels">Its labels, or null.</param>
public sealed record PairBatch(Tensor Matrix, Tensor Positive, Tensor Negative, IDistance Distance,
    Tensor Embeddings, Tensor Labels, MinedTuples? Tuples, Tensor? ReferenceEmbeddings = null, Tensor? ReferenceLabels = null)
{
    /// <summary>Checks embeddings, labels and an optional reference set, and returns the reference (the batch itself when none
    /// is given). Throws <see cref="ArgumentException"/> naming the argument and the shapes.</summary>
    public static (Tensor Reference, Tensor? ReferenceLabels) CheckInputs(Tensor embeddings, Tensor labels,
        Tensor? referenceEmbeddings, Tensor? referenceLabels)
    {
        Guard.EmbeddingsAndLabels(embeddings, labels);
        if (referenceEmbeddings is null != referenceLabels is null)
            throw new ArgumentException("referenceEmbeddings and referenceLabels must be given together.",
                referenceEmbeddings is null ? nameof(referenceEmbeddings) : nameof(referenceLabels));
        if (referenceEmbeddings is null) return (embeddings, null);
        Guard.EmbeddingsAndLabels(referenceEmbeddings, referenceLabels!, nameof(referenceEmbeddings), nameof(referenceLabels));
        if (referenceEmbeddings.shape[1] != embeddings.shape[1])
            throw new ArgumentException(
                $"referenceEmbeddings must have the embedding size of embeddings: embeddings is {Guard.Shape(embeddings)}, referenceEmbeddings is {Guard.Shape(referenceEmbeddings)}.",
                nameof(referenceEmbeddings));
        if (referenceEmbeddings.dtype != embeddings.dtype)
            throw new ArgumentException($"referenceEmbeddings must have the dtype of embeddings ({embeddings.dtype}); got {referenceEmbeddings.dtype}.",
                nameof(referenceEmbeddings));
        return (referenceEmbeddings, referenceLabels);
    }
}
