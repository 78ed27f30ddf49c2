using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Global-norm gradient clipping (Pascanu et al., 2013, arXiv:1211.5063): with ‖g‖ the norm of all gradients
/// concatenated, g ← g·min(1, c / ‖g‖).</summary>
/// <param name="maxNorm">c &gt; 0 (1.0 is the common choice for Transformers).</param>
public sealed class GlobalNormClipper(double maxNorm)
{
    /// <summary>c, the largest global norm left unchanged.</summary>
    public double MaxNorm { get; } = Guard.Positive(maxNorm, nameof(maxNorm));

    /// <summary>Clips the gradients in place.</summary>
    /// <returns>The global norm before clipping.</returns>
    public double Clip(IEnumerable<Parameter> parameters)
    {
        var present = GradientNorms.Present(parameters);
        double squared = 0;
        foreach (var (_, g) in present) squared += Math.Pow(GradientNorms.Of(g), 2);
        var norm = Math.Sqrt(squared);
        if (norm > MaxNorm)
        {
            using var _ = torch.no_grad();
            foreach (var (_, g) in present) g.mul_(MaxNorm / norm);
        }
        return norm;
    }
}
