using LossLab.Distances;
using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Hard + random negatives (STAR's mix of static hard and random negatives; Zhan et al., arXiv:2104.08051): for
/// every anchor, all its positives, its <c>hardPerAnchor</c> hardest negatives and <c>randomPerAnchor</c> more drawn
/// uniformly from the remaining negatives with a generator seeded once.</summary>
public sealed class HardRandomNegativeMiner : IMiner, IDisposable
{
    readonly Generator generator;

    /// <param name="hardPerAnchor">Hardest negatives kept per anchor (≥ 0).</param>
    /// <param name="randomPerAnchor">Random negatives added per anchor (≥ 0); the two must not both be 0.</param>
    /// <param name="seed">Seed of the miner's own generator.</param>
    /// <param name="distance">Mining distance; default <see cref="CosineSimilarity"/>.</param>
    public HardRandomNegativeMiner(long hardPerAnchor, long randomPerAnchor, long seed = 0, IDistance? distance = null)
    {
        NegativeSelection.CheckCount(hardPerAnchor, nameof(hardPerAnchor), allowZero: true);
        NegativeSelection.CheckCount(randomPerAnchor, nameof(randomPerAnchor), allowZero: true);
        if (hardPerAnchor + randomPerAnchor == 0)
            throw new ArgumentOutOfRangeException(nameof(randomPerAnchor), "hardPerAnchor + randomPerAnchor must be positive.");
        HardPerAnchor = hardPerAnchor;
        RandomPerAnchor = randomPerAnchor;
        Distance = distance ?? new CosineSimilarity();
        generator = new Generator((ulong)seed);
    }

    /// <summary>Hardest negatives kept per anchor.</summary>
    public long HardPerAnchor { get; }
    /// <summary>Random negatives added per anchor.</summary>
    public long RandomPerAnchor { get; }
    /// <summary>The mining distance.</summary>
    public IDistance Distance { get; }

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var mat = Distance.Pairwise(embeddings, reference);
        var neg = LabelMasks.Negative(labels, refLabels);
        var hard = NegativeSelection.ByRank(Distance.IsSimilarity ? mat : -mat, neg, 0, HardPerAnchor);
        var score = torch.rand(neg.shape, generator: generator, dtype: ScalarType.Float32).to(embeddings.device);
        var random = NegativeSelection.ByRank(score, neg.logical_and(hard.logical_not()), 0, RandomPerAnchor);
        return PairTuples.FromMasks(LabelMasks.Positive(labels, refLabels), hard.logical_or(random));
    }

    /// <inheritdoc />
    public void Dispose() => generator.Dispose();
}
