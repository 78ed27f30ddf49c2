using TorchSharp;
using TorchSharp.Modules;
using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>AdaGC, adaptive gradient clipping with per-parameter thresholds (Wang et al., 2025, "AdaGC: Improving Training
/// Stability for Large Language Model Pretraining"). For each parameter tensor i at step t, after warm-up:
/// h = min(λ_rel·γ_{t−1,i} / ‖g_{t,i}‖, 1), ĝ = h·g, γ_{t,i} = β·γ_{t−1,i} + (1 − β)·‖ĝ_{t,i}‖.
/// During the first <see cref="WarmupSteps"/> steps (0-based step &lt; WarmupSteps) the gradients are clipped globally at λ_abs and γ_i is the smallest
/// clipped norm seen, γ_{t,i} = min(γ_{t−1,i}, ‖ĝ_{t,i}‖). Paper: λ_rel = 1.05, β = 0.98, about 100 warm-up steps.</summary>
/// <remarks>Thresholds are keyed by the parameter's native handle, so the same parameters must be passed at every step.
/// Without warm-up, a parameter's first gradient initialises γ_i = ‖g_i‖ and is left unclipped.</remarks>
public sealed class AdaGcClipper : IGradientClipper
{
    readonly Dictionary<IntPtr, double> gamma = [];

    /// <summary>λ_abs, the global threshold used during warm-up.</summary>
    public double AbsoluteThreshold { get; }
    /// <summary>λ_rel, the allowed ratio to the running norm.</summary>
    public double RelativeThreshold { get; }
    /// <summary>β, decay of the running norm.</summary>
    public double Beta { get; }
    /// <summary>Number of warm-up steps with global clipping.</summary>
    public int WarmupSteps { get; }

    /// <param name="absoluteThreshold">λ_abs &gt; 0 (1.0).</param>
    /// <param name="relativeThreshold">λ_rel &gt; 0 (paper 1.05).</param>
    /// <param name="beta">β ∈ [0, 1) (paper 0.98).</param>
    /// <param name="warmupSteps">Warm-up steps ≥ 0 (paper ≈ 100).</param>
    public AdaGcClipper(double absoluteThreshold = 1.0, double relativeThreshold = 1.05, double beta = 0.98, int warmupSteps = 100)
    {
        AbsoluteThreshold = Guard.Positive(absoluteThreshold, nameof(absoluteThreshold));
        RelativeThreshold = Guard.Positive(relativeThreshold, nameof(relativeThreshold));
        Beta = beta is >= 0 and < 1 ? beta : throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must lie in [0, 1).");
        WarmupSteps = warmupSteps >= 0 ? warmupSteps
            : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "warmupSteps must be non-negative.");
    }

    /// <summary>The running norm γ_i of a parameter, or null before its first gradient.</summary>
    public double? Threshold(Parameter parameter) => gamma.TryGetValue(parameter.Handle, out var g) ? g : null;

    /// <summary>Clips the gradients in place and updates the running norms.</summary>
    /// <param name="parameters">The parameters whose gradients to clip (the same ones at every step).</param>
    /// <param name="step">The 0-based training step; steps below <see cref="WarmupSteps"/> are warm-up.</param>
    /// <returns>The global norm before clipping.</returns>
    public double Clip(IReadOnlyList<Parameter> parameters, long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "step must be non-negative.");
        var present = GradientNorms.Present(parameters);
        var norms = present.Select(x => GradientNorms.Of(x.Grad)).ToArray();
        var global = Math.Sqrt(norms.Sum(n => n * n));
        using var _ = torch.no_grad();
        if (step < WarmupSteps)
        {
            var h = Math.Min(1, AbsoluteThreshold / Math.Max(global, 1e-300));
            for (var i = 0; i < present.Count; i++)
            {
                if (h < 1) present[i].Grad.mul_(h);
                var clipped = h * norms[i];
                var key = present[i].Parameter.Handle;
                gamma[key] = gamma.TryGetValue(key, out var old) ? Math.Min(old, clipped) : clipped;
            }
            return global;
        }
        for (var i = 0; i < present.Count; i++)
        {
            var key = present[i].Parameter.Handle;
            if (!gamma.TryGetValue(key, out var previous)) { gamma[key] = norms[i]; continue; }
            var h = norms[i] > 0 ? Math.Min(RelativeThreshold * previous / norms[i], 1) : 1;
            if (h < 1) present[i].Grad.mul_(h);
            gamma[key] = Beta * previous + (1 - Beta) * h * norms[i];
        }
        return global;
    }
}
