using LossLab.Losses.Pairs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Reducers;

/// <summary>Turns the per-element values of a <see cref="LossTerm"/> into a scalar. An empty term reduces to 0 with zero
/// gradient and the graph intact (the values' sum times zero), never NaN.</summary>
public interface IReducer
{
    /// <summary>The scalar loss of one term.</summary>
    Tensor Reduce(LossTerm term);
}
