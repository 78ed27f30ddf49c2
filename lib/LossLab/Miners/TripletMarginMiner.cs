using LossLab.Distances;
using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Miners;

/// <summary>Which triplets <see cref="TripletMarginMiner"/> keeps, with Δ = d(a, n) − d(a, p) (similarities: s_ap − s_an).</summary>
public enum TripletSelection
{
    /// <summary>Every triplet violating the margin: Δ ≤ m.</summary>
    All,
    /// <summary>Negatives closer than the positive: Δ ≤ 0.</summary>
    Hard,
    /// <summary>Negatives farther than the positive but inside the margin: 0 &lt; Δ ≤ m (FaceNet's semi-hard triplets).</summary>
    SemiHard,
    /// <summary>Triplets already satisfying the margin: Δ &gt; m.</summary>
    Easy,
}

/// <summary>Triplet mining by margin (pytorch-metric-learning's <c>TripletMarginMiner</c>; semi-hard triplets as in Schroff
/// et al., FaceNet, arXiv:1503.03832): every triplet of the labels whose margin Δ = d(a, n) − d(a, p) falls in the selected
/// band (see <see cref="TripletSelection"/>). Computed on the (B, R, R) broadcast.</summary>
public sealed class TripletMarginMiner : IMiner
{
    /// <param name="margin">m (pytorch-metric-learning default 0.2).</param>
    /// <param name="selection">The band of Δ kept (default <see cref="TripletSelection.All"/>).</param>
    /// <param name="distance">Mining distance; default normalised Euclidean.</param>
    public TripletMarginMiner(double margin = 0.2, TripletSelection selection = TripletSelection.All, IDistance? distance = null)
    {
        Margin = double.IsFinite(margin) ? margin : throw new ArgumentOutOfRangeException(nameof(margin), margin, "margin must be finite.");
        Selection = Enum.IsDefined(selection) ? selection
            : throw new ArgumentOutOfRangeException(nameof(selection), selection, "unknown triplet selection.");
        Distance = distance ?? new LpDistance();
    }

    /// <summary>m.</summary>
    public double Margin { get; }
    /// <summary>The band kept.</summary>
    public TripletSelection Selection { get; }
    /// <summary>The mining distance.</summary>
    public IDistance Distance { get; }

    /// <inheritdoc />
    public MinedTuples Mine(Tensor embeddings, Tensor labels, Tensor? referenceEmbeddings = null, Tensor? referenceLabels = null)
    {
        var (reference, refLabels) = PairBatch.CheckInputs(embeddings, labels, referenceEmbeddings, referenceLabels);
        using var _ = torch.no_grad();
        var mat = Distance.Pairwise(embeddings, reference);
        var ap = mat.unsqueeze(2);
        var an = mat.unsqueeze(1);
        var delta = Distance.IsSimilarity ? ap - an : an - ap;      // [a, p, n]
        var band = Selection switch
        {
            TripletSelection.All => delta.le(Margin),
            TripletSelection.Hard => delta.le(0),
            TripletSelection.SemiHard => delta.gt(0).logical_and(delta.le(Margin)),
            TripletSelection.Easy => delta.gt(Margin),
            _ => throw new InvalidOperationException(),
        };
        var keep = band.logical_and(LabelMasks.Positive(labels, refLabels).unsqueeze(2))
            .logical_and(LabelMasks.Negative(labels, refLabels).unsqueeze(1));
        var idx = keep.nonzero();
        return new TripletTuples(idx[.., 0], idx[.., 1], idx[.., 2]);
    }
}
