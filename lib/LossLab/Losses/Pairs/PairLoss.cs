using LossLab.Distances;
using LossLab.Miners;
using LossLab.Reducers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LossLab.Losses.Pairs;

/// <summary>Base of the pair losses that work on a (B, R) distance matrix with positive and negative masks, composed as in
/// pytorch-metric-learning: a distance, a reducer, and optionally a miner (or tuples passed to <see cref="Forward"/>).
/// Without tuples every pair of the labels is used (an embedding is not its own positive).</summary>
public abstract class PairLoss : Module<Tensor, Tensor, Tensor>
{
    /// <summary>Stores the composition; null distance or reducer means the loss's default.</summary>
    protected PairLoss(string name, IDistance distance, IReducer reducer, IMiner? miner) : base(name)
    {
        Distance = distance;
        Reducer = reducer;
        Miner = miner;
    }

    /// <summary>The distance or similarity the loss is computed on.</summary>
    public IDistance Distance { get; }
    /// <summary>How each term's per-element values become a scalar.</summary>
    public IReducer Reducer { get; }
    /// <summary>The miner run on each batch when no tuples are passed, or null (all pairs).</summary>
    public IMiner? Miner { get; }

    /// <summary>The loss of (B, D) float <paramref name="embeddings"/> with (B) int64 <paramref name="labels"/>, every pair.</summary>
    public override Tensor forward(Tensor embeddings, Tensor labels) => Forward(embeddings, labels);

    /// <summary>The loss, optionally on mined <paramref name="tuples"/> and against a separate reference set.</summary>
    public Tensor Forward(Tensor embeddings, Tensor labels, MinedTuples? tuples = null,
        Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        Tensor? total = null;
        foreach (var term in Terms(embeddings, labels, tuples, referenceEmbeddings, referenceLabels))
        {
            var reduced = Reducer.Reduce(term);
            total = total is null ? reduced : total + reduced;
        }
        return total ?? embeddings.sum() * 0;
    }

    /// <summary>The named sub-losses before reduction (for plots and inspection).</summary>
    public IReadOnlyList<LossTerm> Terms(Tensor embeddings, Tensor labels, MinedTuples? tuples = null,
        Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        long b = embeddings.shape[0], r = reference.shape[0];
        tuples ??= Miner?.Mine(embeddings, labels, referenceEmbeddings, referenceLabels);
        Tensor positive, negative;
        if (tuples is null)
        {
            positive = LabelMasks.Positive(labels, refLabels);
            negative = LabelMasks.Negative(labels, refLabels);
        }
        else
        {
            tuples.Validate(b, r);
            (positive, negative) = tuples.ToMasks(b, r, embeddings.device);
        }
        var matrix = Distance.Pairwise(embeddings, reference);
        return ComputeTerms(new PairBatch(matrix, positive, negative, Distance, embeddings, labels, tuples, referenceEmbeddings, refLabels));
    }

    /// <summary>The loss formula: named per-element terms from the matrix and the masks.</summary>
    protected abstract IReadOnlyList<LossTerm> ComputeTerms(PairBatch batch);
}
