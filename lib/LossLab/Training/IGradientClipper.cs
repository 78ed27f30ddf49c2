using TorchSharp.Modules;

namespace LossLab.Training;

/// <summary>
/// Rescales gradients between the backward pass and the optimizer step. The trainer calls <see cref="Clip"/> once per
/// step with the trainable parameters, whose <c>grad</c> holds the step's gradient.
/// </summary>
public interface IGradientClipper
{
    /// <summary>Clips the gradients of <paramref name="parameters"/> in place at step <paramref name="step"/> (0-based) and
    /// returns the gradient norm the clipper measured before clipping (NaN when it measures none).</summary>
    double Clip(IReadOnlyList<Parameter> parameters, long step);
}
