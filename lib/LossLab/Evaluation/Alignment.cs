using static TorchSharp.torch;

namespace LossLab.Evaluation;

/// <summary>
/// Alignment of positive pairs on the unit hypersphere (Wang and Isola, ICML 2020, arXiv:2005.10242):
/// L_align = (1/N)·Σ_i ‖x̂_i − ŷ_i‖^α, x̂ = x/‖x‖, α = 2. Lower is better aligned (0 when every pair coincides, 4 at most
/// for α = 2). Computed in float64 without gradient.
/// </summary>
public static class Alignment
{
    /// <summary>L_align of the paired rows of <paramref name="first"/> and <paramref name="second"/> (two views of N samples).</summary>
    /// <param name="first">(N, D) floating embeddings, N ≥ 1.</param>
    /// <param name="second">(N, D) embeddings of the positives, row by row.</param>
    /// <param name="alpha">The exponent α &gt; 0 (2).</param>
    /// <exception cref="ArgumentException">Not floating 2-D tensors of one shape with at least one row.</exception>
    public static double Loss(Tensor first, Tensor second, double alpha = 2)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        Guard.Rank(first, 2, nameof(first));
        Guard.Floating(first, nameof(first));
        Guard.Floating(second, nameof(second));
        Guard.SameShape(first, second, nameof(first), nameof(second));
        if (first.shape[0] < 1)
            throw new ArgumentException($"first must hold at least one row; got shape {Guard.Shape(first)}.", nameof(first));
        Guard.Positive(alpha, nameof(alpha));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = nn.functional.normalize(first.detach().to_type(ScalarType.Float64), p: 2, dim: 1);
        var b = nn.functional.normalize(second.detach().to(ScalarType.Float64, first.device), p: 2, dim: 1);   // any devices
        return (a - b).norm(1).pow(alpha).mean().item<double>();
    }
}
