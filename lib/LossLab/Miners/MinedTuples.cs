using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Index tuples returned by a miner: <see cref="PairTuples"/> (a1, p, a2, n) or <see cref="TripletTuples"/>
/// (a, p, n). Indices point into the batch (anchors) and into the reference set (positives, negatives). Each converts to
/// the other form and to dense (B, R) masks, so any miner feeds any loss.</summary>
public abstract record MinedTuples
{
    /// <summary>(B, R) boolean masks of the positive and the negative pairs these tuples contain.</summary>
    public abstract (Tensor Positive, Tensor Negative) ToMasks(long batchSize, long referenceSize, Device device);

    /// <summary>Throws unless every anchor index lies in [0, <paramref name="batchSize"/>) and every other in
    /// [0, <paramref name="referenceSize"/>).</summary>
    public abstract void Validate(long batchSize, long referenceSize);

    /// <summary>Number of tuples.</summary>
    public abstract long Count { get; }

    private protected static void CheckIndices(Tensor t, long size, string name)
    {
        if (t.dim() != 1 || (t.dtype != ScalarType.Int64 && t.dtype != ScalarType.Int32))
            throw new ArgumentException($"{name} must be a 1-D integer index tensor; got {t.dtype} of shape {Guard.Shape(t)}.", name);
        if (t.numel() == 0) return;
        long min = t.min().item<long>(), max = t.max().item<long>();
        if (min < 0 || max >= size)
            throw new ArgumentOutOfRangeException(name, $"{name} must lie in [0, {size}); got values from {min} to {max}.");
    }

    private protected static Tensor Scatter(Tensor rows, Tensor cols, long b, long r, Device device)
    {
        var mask = torch.zeros(b, r, dtype: ScalarType.Bool, device: device);
        if (rows.numel() > 0)
            mask.index_put_(torch.ones(rows.shape[0], dtype: ScalarType.Bool, device: device),
                new[] { rows.to_type(ScalarType.Int64), cols.to_type(ScalarType.Int64) });
        return mask;
    }
}

/// <summary>Mined pairs: positive pairs (a1[i], p[i]) and negative pairs (a2[j], n[j]).</summary>
/// <param name="PositiveAnchors">a1, anchors of the positive pairs.</param>
/// <param name="Positives">p, the positives (indices into the reference set).</param>
/// <param name="NegativeAnchors">a2, anchors of the negative pairs.</param>
/// <param name="Negatives">n, the negatives (indices into the reference set).</param>
public sealed record PairTuples(Tensor PositiveAnchors, Tensor Positives, Tensor NegativeAnchors, Tensor Negatives) : MinedTuples
{
    /// <inheritdoc />
    public override long Count => PositiveAnchors.shape[0] + NegativeAnchors.shape[0];

    /// <inheritdoc />
    public override void Validate(long batchSize, long referenceSize)
    {
        CheckIndices(PositiveAnchors, batchSize, nameof(PositiveAnchors));
        CheckIndices(Positives, referenceSize, nameof(Positives));
        CheckIndices(NegativeAnchors, batchSize, nameof(NegativeAnchors));
        CheckIndices(Negatives, referenceSize, nameof(Negatives));
        if (PositiveAnchors.shape[0] != Positives.shape[0] || NegativeAnchors.shape[0] != Negatives.shape[0])
            throw new ArgumentException(
                $"pair index tensors must come in equal-length couples: a1 {Guard.Shape(PositiveAnchors)}, p {Guard.Shape(Positives)}, "
                + $"a2 {Guard.Shape(NegativeAnchors)}, n {Guard.Shape(Negatives)}.", nameof(Positives));
    }

    /// <inheritdoc />
    public override (Tensor Positive, Tensor Negative) ToMasks(long batchSize, long referenceSize, Device device) =>
        (Scatter(PositiveAnchors, Positives, batchSize, referenceSize, device),
         Scatter(NegativeAnchors, Negatives, batchSize, referenceSize, device));

    /// <summary>Every positive and negative pair of the labels (reference = batch when <paramref name="referenceLabels"/> is null).</summary>
    public static PairTuples FromLabels(Tensor labels, Tensor? referenceLabels = null)
    {
        var pos = LabelMasks.Positive(labels, referenceLabels).nonzero();
        var neg = LabelMasks.Negative(labels, referenceLabels).nonzero();
        return new PairTuples(pos[.., 0], pos[.., 1], neg[.., 0], neg[.., 1]);
    }

    /// <summary>The pairs in dense masks, as tuples.</summary>
    public static PairTuples FromMasks(Tensor positive, Tensor negative)
    {
        var pos = positive.nonzero();
        var neg = negative.nonzero();
        return new PairTuples(pos[.., 0], pos[.., 1], neg[.., 0], neg[.., 1]);
    }
}

/// <summary>Mined triplets (a[i], p[i], n[i]).</summary>
/// <param name="Anchors">a, indices into the batch.</param>
/// <param name="Positives">p, indices into the reference set.</param>
/// <param name="Negatives">n, indices into the reference set.</param>
public sealed record TripletTuples(Tensor Anchors, Tensor Positives, Tensor Negatives) : MinedTuples
{
    /// <inheritdoc />
    public override long Count => Anchors.shape[0];

    /// <inheritdoc />
    public override void Validate(long batchSize, long referenceSize)
    {
        CheckIndices(Anchors, batchSize, nameof(Anchors));
        CheckIndices(Positives, referenceSize, nameof(Positives));
        CheckIndices(Negatives, referenceSize, nameof(Negatives));
        if (Anchors.shape[0] != Positives.shape[0] || Anchors.shape[0] != Negatives.shape[0])
            throw new ArgumentException(
                $"triplet index tensors must have equal lengths: a {Guard.Shape(Anchors)}, p {Guard.Shape(Positives)}, n {Guard.Shape(Negatives)}.",
                nameof(Anchors));
    }

    /// <inheritdoc />
    public override (Tensor Positive, Tensor Negative) ToMasks(long batchSize, long referenceSize, Device device) =>
        (Scatter(Anchors, Positives, batchSize, referenceSize, device), Scatter(Anchors, Negatives, batchSize, referenceSize, device));

    /// <summary>Every (a, p, n) with positive[a, p] and negative[a, n] (all triplets of the masks).</summary>
    public static TripletTuples FromMasks(Tensor positive, Tensor negative)
    {
        var idx = positive.unsqueeze(2).logical_and(negative.unsqueeze(1)).nonzero();
        return new TripletTuples(idx[.., 0], idx[.., 1], idx[.., 2]);
    }
}
