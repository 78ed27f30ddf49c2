using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Shrink-and-perturb (Ash &amp; Adams, 2020, "On Warm-Starting Neural Network Training", arXiv:1910.08475):
/// θ ← λ·θ + σ·ε, ε ~ N(0, I). Applied between tasks, or at every step with λ close to 1 as in the continual-learning
/// comparisons of Dohare et al. (2024, arXiv:2306.13812).</summary>
public static class ShrinkAndPerturb
{
    /// <summary>Shrinks and perturbs <paramref name="parameters"/> in place.</summary>
    /// <param name="parameters">The parameters (e.g. <c>model.parameters()</c>).</param>
    /// <param name="shrink">λ ∈ [0, 1].</param>
    /// <param name="noiseStd">σ ≥ 0.</param>
    /// <param name="generator">Seeded generator for ε (null: torch's default generator).</param>
    public static void Apply(IEnumerable<Parameter> parameters, double shrink, double noiseStd, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.InRange(shrink, 0, 1, nameof(shrink));
        Guard.NonNegative(noiseStd, nameof(noiseStd));
        using var _ = torch.no_grad();
        foreach (var p in parameters)
        {
            p.mul_(shrink);
            if (noiseStd == 0) continue;
            // A seeded generator draws on its own device (the CPU for Seeds.Generator), so the noise is the same wherever p lives.
            using var drawn = torch.randn(p.shape, dtype: p.dtype, device: generator?.device ?? p.device, generator: generator);
            using var noise = drawn.to(p.device);
            p.add_(noise, alpha: noiseStd);
        }
    }
}
