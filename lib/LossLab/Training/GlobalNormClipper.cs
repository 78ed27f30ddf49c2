using TorchSharp;
using TorchSharp.Modules;

namespace LossLab.Training;

/// <summary>
/// Global-norm gradient clipping (Pascanu, Mikolov and Bengio 2013, arXiv:1211.5063): with g the concatenation of all
/// gradients and ‖g‖ its 2-norm, every gradient is multiplied by min(1, c / (‖g‖ + 10⁻⁶)), c = <see cref="MaxNorm"/> (the 10⁻⁶ guards
/// a zero norm, as in PyTorch's clip_grad_norm_).
/// </summary>
public sealed class GlobalNormClipper : IGradientClipper
{
    /// <summary>Clips to a global 2-norm of at most <paramref name="maxNorm"/> (c; 1.0 is the usual choice).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public GlobalNormClipper(double maxNorm = 1.0) => MaxNorm = Guard.Positive(maxNorm, nameof(maxNorm));

    /// <summary>The largest global gradient norm let through, c.</summary>
    public double MaxNorm { get; }

    /// <inheritdoc/>
    public double Clip(IReadOnlyList<Parameter> parameters, long step) =>
        torch.nn.utils.clip_grad_norm_(parameters, MaxNorm);
}
