using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Random negatives: for every anchor, all its positives and <c>negativesPerAnchor</c> negatives drawn uniformly
/// without replacement (all of them if it has fewer), from a generator seeded once.</summary>
public sealed class RandomNegativeMiner : IMiner, IDisposable
{
    readonly Generator generator;

    /// <param name="negativesPerAnchor">Negatives kept per anchor (&gt; 0).</param>
    /// <param name="seed">Seed of the miner's own generator.</param>
    public RandomNegativeMiner(long negativesPerAnchor, long seed = 0)
    {
        NegativeSelection.CheckCount(negativesPerAnchor, nameof(negativesPerAnchor));
        NegativesPerAnchor = negativesPerAnchor;
        generator = new Generator((ulong)seed);
    }

    /// <summary>Negatives kept per anchor.</summary>
    public long NegativesPerAnchor { get; }

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var neg = LabelMasks.Negative(labels, refLabels);
        var score = torch.rand(neg.shape, generator: generator, dtype: ScalarType.Float32).to(embeddings.device);
        return PairTuples.FromMasks(LabelMasks.Positive(labels, refLabels), NegativeSelection.ByRank(score, neg, 0, NegativesPerAnchor));
    }

    /// <inheritdoc />
    public void Dispose() => generator.Dispose();
}
