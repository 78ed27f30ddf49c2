using LossLab.Losses.Pairs;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Reducers;

/// <summary>Mean over the valid entries of a term (anchors that have a positive and a negative, pairs that were mined):
/// Σ_{valid} v / #valid, 0 with zero gradient when none is valid. A term without a validity mask is averaged whole.</summary>
public sealed class ValidMeanReducer : IReducer
{
    /// <inheritdoc />
    public Tensor Reduce(LossTerm term)
    {
        if (term.Kind == TermKind.AlreadyReduced) return term.Values;
        if (term.Valid is null) return term.Values.numel() == 0 ? term.Values.sum() : term.Values.mean();
        var count = term.Valid.sum().clamp_min(1).to_type(term.Values.dtype);
        return term.Values.masked_fill(term.Valid.logical_not(), TorchScalars.Zero).sum() / count;
    }
}
