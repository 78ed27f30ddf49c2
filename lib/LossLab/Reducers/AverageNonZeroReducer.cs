using LossLab.Losses.Pairs;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Reducers;

/// <summary>Mean over the values above zero (pytorch-metric-learning's <c>AvgNonZeroReducer</c>): Σ_{v>0} v / #{v > 0};
/// 0 with zero gradient when no value is positive.</summary>
public sealed class AverageNonZeroReducer : IReducer
{
    /// <inheritdoc />
    public Tensor Reduce(LossTerm term)
    {
        if (term.Kind == TermKind.AlreadyReduced) return term.Values;
        var positive = term.Values.gt(0);
        var count = positive.sum().clamp_min(1).to_type(term.Values.dtype);
        return term.Values.masked_fill(positive.logical_not(), TorchScalars.Zero).sum() / count;
    }
}
