using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Reducers;

/// <summary>Sum of all values of a term (pytorch-metric-learning's <c>SumReducer</c>); 0 for an empty term.</summary>
public sealed class SumReducer : IReducer
{
    /// <inheritdoc />
    public Tensor Reduce(LossTerm term) => term.Kind == TermKind.AlreadyReduced ? term.Values : term.Values.sum();
}
