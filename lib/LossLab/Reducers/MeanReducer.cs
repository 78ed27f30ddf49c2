using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Reducers;

/// <summary>Mean over all values of a term (pytorch-metric-learning's <c>MeanReducer</c>); 0 for an empty term.</summary>
public sealed class MeanReducer : IReducer
{
    /// <inheritdoc />
    public Tensor Reduce(LossTerm term) =>
        term.Kind == TermKind.AlreadyReduced ? term.Values
        : term.Values.numel() == 0 ? term.Values.sum() : term.Values.mean();
}
