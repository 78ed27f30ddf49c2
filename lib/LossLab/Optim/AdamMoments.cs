using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Adam's moment estimates (Kingma &amp; Ba, 2015, arXiv:1412.6980), shared by the Adam-derived optimizers:
/// m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², and the bias-corrected direction u = m̂ / (√v̂ + ε) with
/// m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).</summary>
internal static class AdamMoments
{
    /// <summary>Updates the state's moments with <paramref name="grad"/> and returns u (a temporary).</summary>
    public static Tensor Direction(Tensor grad, ElementwiseOptimizer.State state, ElementwiseOptimizer.Options options)
    {
        double b1 = options.Beta1!.Value, b2 = options.Beta2!.Value, eps = options.Epsilon!.Value;
        state.First ??= torch.zeros_like(grad).DetachFromDisposeScope();
        state.Second ??= torch.zeros_like(grad).DetachFromDisposeScope();
        ElementwiseOptimizer.Average(state.First, grad, b1);
        using var beta2 = b2.ToScalar();
        using var rest2 = (1 - b2).ToScalar();
        state.Second.mul_(beta2).addcmul_(grad, grad, value: rest2);
        using var c1 = (1 - Math.Pow(b1, state.Step)).ToScalar();
        using var c2 = (1 - Math.Pow(b2, state.Step)).ToScalar();
        using var epsilon = eps.ToScalar();
        var denominator = state.Second.div(c2).sqrt_().add_(epsilon, LossLab.Training.TorchScalars.One);
        return state.First.div(c1).div_(denominator);
    }
}
