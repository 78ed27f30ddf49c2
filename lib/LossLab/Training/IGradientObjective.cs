using static TorchSharp.torch;

namespace LossLab.Training;

/// <summary>
/// An objective that writes the parameters' gradients itself instead of returning one loss to back-propagate: several
/// backward passes (a forget term and a retain term weighted after the fact, per-sample clipping), gradients from a
/// closed form, or a surrogate whose reported loss is not the one differentiated. <see cref="Trainer"/> zeroes the
/// gradients, calls <see cref="Backward"/>, and then clips and steps as for any objective; it stops before the update
/// when the returned loss is not finite.
/// </summary>
public interface IGradientObjective : ITrainingObjective
{
    /// <summary>Accumulates the gradients of <paramref name="batch"/> into the parameters' <c>grad</c> and returns the
    /// loss to record.</summary>
    double Backward(Batch batch);
}
