using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// An unlearning method as an objective: the scalar loss that one step minimises, computed from a forget batch and a
/// retain batch. The runner (<see cref="Unlearner"/>) calls it once per step inside the step's dispose scope, then
/// back-propagates it. An objective neither opens dispose scopes nor disposes its inputs.
/// </summary>
public interface IUnlearningObjective
{
    /// <summary>A short name for tables and plots.</summary>
    string Name { get; }

    /// <summary>The loss to minimise on this step (a scalar with a graph to the model's parameters).</summary>
    Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch);
}

/// <summary>
/// An objective that writes the parameters' gradients itself (for example by combining the gradients of two terms, as
/// <see cref="GradientProjection"/> does) instead of handing one loss to <c>backward()</c>.
/// </summary>
public interface IGradientObjective : IUnlearningObjective
{
    /// <summary>Fills <c>p.grad</c> for every trainable parameter <c>p</c> (gradients start at zero or null) and returns
    /// the step's loss value (detached) for the history.</summary>
    Tensor Backward(nn.Module<Tensor, Tensor> model, UnlearningBatch batch);
}
