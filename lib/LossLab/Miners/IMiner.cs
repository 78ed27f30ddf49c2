using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Selects informative pairs or triplets from a batch. Runs without gradients; returns index tuples (and, through
/// <see cref="MinedTuples.Count"/>, how many it kept).</summary>
public interface IMiner
{
    /// <summary>Mines tuples of (<paramref name="embeddings"/>, <paramref name="labels"/>) against the reference set, which is
    /// the batch itself when <paramref name="referenceEmbeddings"/> is null.</summary>
    MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null);
}
