using TorchSharp;
using TorchSharp.Modules;
using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Per-tensor gradient clipping: each parameter's gradient g_i ← g_i·min(1, c / ‖g_i‖) independently.</summary>
/// <param name="maxNorm">c &gt; 0.</param>
public sealed class PerTensorClipper(double maxNorm) : IGradientClipper
{
    /// <summary>c, the largest norm of one gradient tensor left unchanged.</summary>
    public double MaxNorm { get; } = Guard.Positive(maxNorm, nameof(maxNorm));

    /// <summary>Clips each gradient in place; <paramref name="step"/> is not used.</summary>
    /// <returns>The global norm (all gradients concatenated) before clipping.</returns>
    public double Clip(IReadOnlyList<Parameter> parameters, long step)
    {
        double squared = 0;
        using var _ = torch.no_grad();
        foreach (var (_, g) in GradientNorms.Present(parameters))
        {
            var norm = GradientNorms.Of(g);
            squared += norm * norm;
            if (norm > MaxNorm) g.mul_(MaxNorm / norm);
        }
        return Math.Sqrt(squared);
    }
}
